// Included by include_cycle.sls, which it includes back.
include "../include_cycle.sls"
