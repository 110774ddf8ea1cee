// Trace formats of the Huawei Public Cloud 2025 release (sir-lab/data-release,
// "Serverless Cold Starts and Where to Find Them", EuroSys 2025), by their
// published column names. Dates are seconds since the start of the dataset.
// Include this file and replay a table with a template, e.g.
//   replay huawei2025_requests "R1/requests.csv" as work

// Request tables: one row per request (frontend, worker and cold start
// logs). A function is `funcName` of user `userID`; `runtimeCost` is the
// time spent in the runtime, `memory_usage` the pod's memory in MB. (The
// frontend's `totalCost_frontend` and `busCost` are not mapped: the
// simulated platform makes its own. `requestBodySize`, in bytes, is the
// request's payload if a replay maps it: `replay huawei2025_requests
// "R1/requests.csv" as work { request_payload column("requestBodySize", 1B) }`,
// as `examples/traces/payloads.sls` does.)
format huawei2025_requests {
  time column("time_frontend", 1s)
  function column("funcName")
  app column("userID")
  duration column("runtimeCost", 1s)
  memory column("memory_usage", 1MB)
}

// Cold start tables: one row per cold start, with the request that caused
// it. The table gives no execution time: a replay gives one
// (`replay huawei2025_cold_starts "R1/cold_starts.csv" as work { duration 50ms }`).
format huawei2025_cold_starts {
  time column("time", 1s)
  function column("funcName")
  app column("userID")
}
