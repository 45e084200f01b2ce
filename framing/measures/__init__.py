"""Measures over sentences and documents: hedging, attribution, actors, sentiment, readability."""

#: the engine the measures' lazy Polars queries are collected on: the in-memory one, as eager
#: operations use. Polars' default streaming engine costs more on frames of a batch's size, and it
#: sums floats in another order (metrics' quoted_words would differ in the last bits).
QUERY_ENGINE = "in-memory"
