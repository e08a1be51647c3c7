//! The offline search index, built from the model.
