//! vault (being written)
