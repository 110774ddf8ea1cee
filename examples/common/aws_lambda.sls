// AWS Lambda's published on-demand prices, x86, US East (N. Virginia), in
// US dollars: https://aws.amazon.com/lambda/pricing/ (duration, first tier:
// $0.0000166667 per GB-second, billed per 1 ms since December 2020;
// requests: $0.20 per million), and data transfer out to the internet at
// EC2's rate, https://aws.amazon.com/ec2/pricing/on-demand/ (first 10 TB a
// month: $0.09 per GB). Read from those pages in 2025; the free tier and the
// cheaper tiers beyond 6 billion GB-seconds a month are left out.
// On-demand Lambda bills no idle container: keep-alive is free to the user.
//
// Include it (`include "common/aws_lambda.sls"`) to bill a run; `sls run
// --cost aws-lambda-arm` (or any `--cost` price list) wins over it for one run.
cost {
  per_gb_second 0.0000166667
  per_request 0.0000002
  per_gb_transferred 0.09
  per_idle_gb_second 0
}
