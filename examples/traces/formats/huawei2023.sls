// Trace formats of the Huawei Cloud 2023 release (sir-lab/data-release,
// "How Does It Function?", SoCC 2023): per-function request tables, one
// file per day, one row per minute (or per second) with its `day`, its
// `time` in seconds since the start of the dataset, and one column per
// function (`0`, `1`, ...) counting its requests in that minute (empty or
// `NaN` for none). Include this file and replay a day with a template:
//   replay huawei2023_requests_minute "requests_minute/day_00.csv" as work
format huawei2023_requests_minute {
  time column("time", 1s)
  function header // every other column is a function
  ignore ["day"]
  period 1min
  spread uniform // or poisson
}

// The private dataset's per-second tables, same layout.
format huawei2023_requests_second {
  time column("time", 1s)
  function header
  ignore ["day"]
  period 1s
  spread uniform
}
