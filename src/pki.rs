//! A small certificate authority (placeholder: being written).
