"""Measures over sentences and documents: hedging, attribution, actors, sentiment, readability."""
