//! Python bindings of sls.
