//! The discrete-event engine: simulated time, events and the fluid (max-min fair) resource model.
