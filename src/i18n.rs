//! Built-in UI labels in English, Traditional and Simplified Chinese.
