//! Lesson 02 (being written).
