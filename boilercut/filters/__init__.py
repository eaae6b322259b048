"""The built-in filters, in one explicit name -> filter table, and their default order.

Each filter is a small frozen dataclass: its fields are its options (settable
from a TOML profile), ``__call__(doc)`` returns decisions. Order matters: each
filter sees only what the filters before it kept.
"""

from boilercut.filters.byline import Byline
from boilercut.filters.captions import Captions
from boilercut.filters.comments import Comments
from boilercut.filters.dates import Dates
from boilercut.filters.footer import Footer
from boilercut.filters.navigation import Navigation
from boilercut.filters.promotions import Promotions
from boilercut.filters.share import Share
from boilercut.filters.stray import Stray
from boilercut.filters.tail import Tail
from boilercut.filters.title import Title
from boilercut.model import LineModel

# The table is in pipeline order. Metadata lines go first (a byline or a date must
# not be taken for a menu item or a stray token), then labels with a name (share,
# footer, promotions: footer links end a related-articles list instead of joining
# it), then stray tokens, so that navigation's menu rule, which takes any run of
# short lines at the edges, sees only what no other rule explains. The tail of the
# page goes once its footer and comment breaks are known. The title goes
# once the lines above it are gone, before captions (a repeated headline is the
# title, not a caption); it sees every line of the pass and may take the headline
# back from the structural guesses before it (a headline in a run of short lines
# looks like a menu). The line model comes last: it weighs every line of the
# pass with the rules' proposals as evidence and has the last word on all but
# the metadata moves (see boilercut.model).
BUILTIN_FILTERS = {cls.name: cls for cls in (
    Byline, Dates, Share, Footer, Promotions, Comments, Stray, Navigation, Tail, Title,
    Captions, LineModel)}
DEFAULT_ORDER = tuple(BUILTIN_FILTERS)

__all__ = ["BUILTIN_FILTERS", "DEFAULT_ORDER", "Byline", "Captions", "Comments", "Dates", "Footer",
           "LineModel", "Navigation", "Promotions", "Share", "Stray", "Tail", "Title"]
