# The synthetic Azure Functions 2019 days the bench scripts replay, made
# once under target/bench-traces/ by bench/gen_azure2019.py and reused.
# Sourced (from the repository's root) by the scripts that replay one:
#   . bench/trace.sh
#   trace=$(azure_trace 2000)        # 2,000 applications, the default seed
#   trace=$(azure_trace 10000 42)    # 10,000 applications, seed 42
# prints the day's folder (absolute), made first if missing.
azure_trace() {
  local apps=$1 seed=${2:-}
  local folder=$PWD/target/bench-traces/azure2019-$apps${seed:+-$seed}
  if [ ! -f "$folder/invocations_per_function_md.anon.d01.csv" ]; then
    # Its progress to standard error: standard output is the folder.
    python3 bench/gen_azure2019.py "$folder" "$apps" ${seed:+"$seed"} >&2 || return 1
  fi
  echo "$folder"
}
