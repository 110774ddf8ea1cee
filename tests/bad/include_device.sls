// An include of a device, which would never end: only regular files are read.
include "/dev/zero"
