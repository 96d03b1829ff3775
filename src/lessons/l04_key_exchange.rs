//! Lesson 04 (being written).
