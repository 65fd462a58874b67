"""The district list: notices grouped province › city › district, with a pinyin-aware filter."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Input, Label, Tree
from textual.widgets.tree import TreeNode, UnknownNodeID

from ...loaders.entries import Listed
from ..district_filter import PlaceKeys, matches
from ..messages import NoticeChosen
from .steady import SteadyTree

_UNKNOWN = "（未知）"


class DistrictTree(SteadyTree[str]):
    """Tree of places; leaves carry a notice id."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="tree.down", tooltip="Move down"),
        Binding("k", "cursor_up", "Up", show=False, id="tree.up", tooltip="Move up"),
    ]


class FilterInput(Input):
    """The filter box: ``enter`` goes to the first match, ``escape`` leaves the box (both at once, so
    keys typed right after them already reach the list)."""

    BINDINGS = [
        Binding("escape", "leave", "Leave", show=False, id="filter.leave", tooltip="Back to the list"),
        Binding("down", "leave", "List", show=False, id="filter.down", tooltip="Down to the list"),
    ]

    async def action_submit(self) -> None:
        """Go to the first matching notice (focus moves now, not when a message arrives)."""
        parent = self.parent
        if isinstance(parent, DistrictList):
            parent.submit_filter()

    def action_leave(self) -> None:
        """Leave the box for the list (the filter stays as typed)."""
        parent = self.parent
        if isinstance(parent, DistrictList):
            parent.place_tree.focus()


class DistrictList(Vertical):
    """Filter box, shown/total count, and the place tree of the loaded notices."""

    DEFAULT_CSS = """
    DistrictList { height: 1fr; }
    DistrictList > Input { margin: 0; }
    DistrictList > #district-count { color: $text-muted; padding: 0 1; }
    DistrictList > DistrictTree { height: 1fr; }
    """

    shown: reactive[int] = reactive(0)
    total: reactive[int] = reactive(0)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._notices: Sequence[Listed] = []
        self._keys: dict[str, PlaceKeys] = {}
        self._marked: set[str] = set()
        self._by_id: dict[str, Listed] = {}
        #: Leaves of collapsed cities, added when the city is first expanded (thousands of leaves
        #: cost the UI thread a second to add, and most are never looked at).
        self._unbuilt: dict[TreeNode[str], list[Listed]] = {}
        #: The city node each notice's leaf is (or will be) under, by notice id.
        self._city_of: dict[str, TreeNode[str]] = {}

    def compose(self) -> ComposeResult:
        yield FilterInput(placeholder="筛选 filter: 和平 / heping / hp", id="district-filter")
        yield Label("", id="district-count")
        tree = DistrictTree("地区", id="district-tree")
        tree.show_root = False
        tree.guide_depth = 2
        yield tree

    def set_notices(self, notices: Sequence[Listed], keys: dict[str, PlaceKeys] | None = None) -> None:
        """Show these notices — ``NoticeEntry`` rows, or ``Notice`` objects — (filter keys arrive
        later, from a worker, if not given).

        Keys that arrived before the notices (a fast second start) are kept, not wiped.
        """
        self._notices = notices
        self._by_id = {n.id: n for n in notices}
        if keys is not None:
            self._keys = {**self._keys, **keys}
        self.total = len(notices)
        self._rebuild(self.query_one(Input).value)

    def set_marked(self, marked: set[str]) -> None:
        """Show which notices are marked for comparison."""
        changed = marked ^ self._marked
        self._marked = set(marked)
        for node in _walk(self.place_tree.root):
            if node.data in changed:
                node.set_label(_leaf_label(self._by_id[node.data], node.data in marked))

    @property
    def filter_keys(self) -> dict[str, PlaceKeys]:
        """The pinyin filter keys computed so far (by notice id)."""
        return self._keys

    def set_filter_keys(self, keys: dict[str, PlaceKeys]) -> None:
        """Receive the pinyin filter keys computed off the UI thread (before or after the notices)."""
        self._keys = {**self._keys, **keys}
        value = self.query_one(Input).value
        if value:
            self._rebuild(value)

    @property
    def place_tree(self) -> DistrictTree:
        """The place tree."""
        return self.query_one(DistrictTree)

    def _visible(self, query: str) -> Sequence[Listed]:
        if not query.strip():
            return self._notices
        shown = []
        for notice in self._notices:
            keys = self._keys.get(notice.id)
            if keys is None:  # pinyin not ready yet: Chinese substrings still work
                names = " ".join(
                    x or "" for x in (notice.province, notice.city, notice.district, notice.title)
                )
                if all(word in names for word in query.split()):
                    shown.append(notice)
            elif matches(query, keys):
                shown.append(notice)
        return shown

    def _rebuild(self, query: str) -> None:
        tree = self.place_tree
        selected = tree.cursor_node.data if tree.cursor_node is not None else None
        tree.clear()
        self._unbuilt = {}
        visible = self._visible(query)
        self.shown = len(visible)
        expand_all = bool(query.strip()) or len(visible) <= 60
        groups: dict[str, dict[str, list[Listed]]] = {}
        for notice in visible:
            province, city = notice.province or _UNKNOWN, notice.city or _UNKNOWN
            groups.setdefault(province, {}).setdefault(city, []).append(notice)
        city_of = self._city_of = {}
        with tree.filling():
            for province, cities in groups.items():
                province_node = tree.root.add(Text(province), expand=True)
                for city, notices in cities.items():
                    city_node = province_node.add(Text(city), expand=expand_all, allow_expand=True)
                    city_of.update(dict.fromkeys([n.id for n in notices], city_node))
                    if expand_all:
                        self._add_leaves(city_node, notices)
                    else:
                        self._unbuilt[city_node] = notices
        if selected:
            self.select_notice(selected)  # its city opened, if it is still shown

    def _add_leaves(self, city: TreeNode[str], notices: list[Listed]) -> None:
        for notice in notices:
            city.add_leaf(_leaf_label(notice, notice.id in self._marked), data=notice.id)

    @on(Tree.NodeExpanded, "#district-tree")
    def _city_expanded(self, event: Tree.NodeExpanded[str]) -> None:
        notices = self._unbuilt.pop(event.node, None)
        if notices is not None:
            with self.place_tree.filling():
                self._add_leaves(event.node, notices)

    def select_notice(self, notice_id: str) -> None:
        """Put the cursor on a notice's leaf (expanding its city)."""
        city = self._city_of.get(notice_id)
        if city is None:
            return
        notices = self._unbuilt.pop(city, None)
        if notices is not None:
            with self.place_tree.filling():
                self._add_leaves(city, notices)
        for node in city.children:
            if node.data == notice_id:
                if node.parent is not None:
                    node.parent.expand()
                self.place_tree.move_cursor_now(node)
                if self.place_tree.size.height:  # a hidden tree would scroll the node to its top
                    self.place_tree.scroll_to_node(node, animate=False)
                # a tree just shown has no size yet: scroll to the node once it is laid out
                self.place_tree.call_after_refresh(self._point_at, node)
                return

    def _point_at(self, node: TreeNode[str]) -> None:
        try:
            current = self.place_tree.get_node_by_id(node.id)
        except UnknownNodeID:  # the tree was rebuilt meanwhile (a filter)
            return
        if current is node:
            if self.place_tree.cursor_node is not node:
                self.place_tree.move_cursor(node)
            self.place_tree.scroll_to_node(node, animate=False)

    def watch_shown(self) -> None:
        self._update_count()

    def watch_total(self) -> None:
        self._update_count()

    def _update_count(self) -> None:
        if self.is_mounted:
            self.query_one("#district-count", Label).update(f"{self.shown} / {self.total} 篇")

    @on(Input.Changed, "#district-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._rebuild(event.value)

    def submit_filter(self) -> None:
        """Enter in the filter: go to the first matching notice (and open it when it is the only one)."""
        first = next((node for node in _walk(self.place_tree.root) if node.data), None)
        self.place_tree.focus()
        if first is not None:
            self.place_tree.move_cursor(first)
            if self.shown == 1:
                self.post_message(NoticeChosen(first.data or ""))

    @on(Tree.NodeSelected, "#district-tree")
    def _leaf_selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        if event.node.data:
            self.post_message(NoticeChosen(event.node.data))


def _leaf_label(notice: Listed, marked: bool = False) -> Text:
    label = Text("◆ " if marked else "", style="bold")
    label.append(notice.district or notice.title[:12])
    # the year before the level: a narrow pane cuts the end of the label, and the year tells notices apart
    details = " ".join(str(x) for x in (notice.year, notice.level) if x)
    if details:
        label.append(f"  {details}", style="dim")
    return label


def _walk(node: TreeNode[str]) -> Iterable[TreeNode[str]]:
    yield node
    for child in node.children:
        yield from _walk(child)
