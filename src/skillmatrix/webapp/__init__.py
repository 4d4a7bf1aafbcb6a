"""The Streamlit app's logic without widgets: session context, view models, uploads, exports.

Every module here is plain Python that the page files in `app_pages/` call and that the tests call
without Streamlit. The one exception is `widgets`, which draws the rating form the three rating
pages share.
"""

from __future__ import annotations
