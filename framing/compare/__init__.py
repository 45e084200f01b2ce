"""Compare outlets and stories: story grouping, sentence alignment, distinctive terms.

Public API::

    from framing.compare import compare, split_by_outlet
    result = compare(analysis_a, analysis_b, labels=("CNN", "Blog"))
    result.to_dict(); result.to_markdown(); result.to_html()
    framing.compare.stories.assign_stories(documents, mentions)  # story_id, derived_from
"""

from __future__ import annotations

from framing.compare.core import Comparison, compare, split_by_outlet

__all__ = ["Comparison", "compare", "split_by_outlet"]
