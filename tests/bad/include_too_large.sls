// An include of a file over the 1 MiB a script may be (the test suite writes
// `generated/too_large.sls` before checking this).
include "generated/too_large.sls"
