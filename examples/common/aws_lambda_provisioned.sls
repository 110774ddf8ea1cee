// AWS Lambda with provisioned concurrency, x86, US East (N. Virginia), in US
// dollars, from https://aws.amazon.com/lambda/pricing/ (read in 2025):
// provisioned memory costs $0.0000041667 per GB-second whether it serves or
// idles, and a running invocation adds $0.0000097222 per GB-second. Here a
// container stands for provisioned memory: while idle it is billed the
// provisioning price alone, while running both (0.0000041667 +
// 0.0000097222). Requests and transfer as on demand (`aws_lambda.sls`).
cost {
  per_gb_second 0.0000138889
  per_request 0.0000002
  per_gb_transferred 0.09
  per_idle_gb_second 0.0000041667
}
