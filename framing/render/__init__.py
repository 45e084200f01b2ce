"""Rendering: frames to files, terminal summaries, charts, reports, worksheets."""
