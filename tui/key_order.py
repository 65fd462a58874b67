"""Keys handled one at a time, in order: a key typed quickly never reaches a widget focus is leaving.

Textual forwards each key to the widget focused *when the key is taken from the app's queue*, and runs
a binding only when the key has bubbled back to the app.  Keys typed faster than that round trip
(``f 和平 ⏎ f anshan``) therefore reach the widget that had focus before the first of them was handled:
letters meant for the filter open the note editor, letters meant for the list land in the filter.

``OrderedKeys`` holds each key until the one before it is fully handled: it has bubbled back to the
app (and its binding ran), or every widget on its way up has processed it (a widget stopped it).  Only
then is the next key forwarded, to whatever has focus by then.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events
from textual.dom import DOMNode
from textual.message_pump import MessagePump
from textual.timer import Timer

if TYPE_CHECKING:
    from textual.app import App

    _Base = App[Any]
else:
    _Base = object

#: A key whose handling could not be followed (its widget was removed) stops holding others after this.
KEY_RELEASE_SECONDS = 1.0


class OrderedKeys(_Base):
    """An ``App`` mixin: forward the next key only when the previous one has been handled."""

    _key_in_flight: events.Key | None = None
    _held_keys: deque[events.Key] | None = None
    _key_timer: Timer | None = None

    @property
    def keys_pending(self) -> bool:
        """True while a key is on its way or held (tests wait on this rather than on time)."""
        return self._key_in_flight is not None or bool(self._held_keys)

    async def on_event(self, event: events.Event) -> None:
        """Hold a key while the one before it is still on its way; release it when that one is done."""
        if not isinstance(event, events.Key):
            await super().on_event(event)
            return
        if event.is_forwarded:
            await super().on_event(event)  # bubbled back: the app's bindings run here
            if event is self._key_in_flight:
                self._release_key(event)
            return
        if self._key_in_flight is not None and self._key_in_flight is not event:
            if self._held_keys is None:
                self._held_keys = deque()
            self._held_keys.append(event)
            if self._key_timer is None:
                self._key_timer = self.set_timer(KEY_RELEASE_SECONDS, self._release_stuck_key)
            return
        self._key_in_flight = event
        target: MessagePump = self.focused or self.screen
        await super().on_event(event)
        if event.is_forwarded:
            self._follow_key(event, target)
        else:  # a priority binding took it, or it was not forwarded at all
            self._release_key(event)

    def _follow_key(self, key: events.Key, node: MessagePump) -> None:
        """Release ``key`` once ``node`` and every ancestor after it have processed it."""

        def processed() -> None:
            if self._key_in_flight is not key:
                return
            parent = node.parent if isinstance(node, DOMNode) else None
            if parent is None or parent is self:
                # if it bubbled to the app, it is queued ahead of this callback and releases itself
                self.call_later(self._release_key, key)
            else:
                self._follow_key(key, parent)

        if not node.call_later(processed):
            self._release_key(key)

    def _release_key(self, key: events.Key) -> None:
        """``key`` is handled: forward the next held key, if any."""
        if self._key_in_flight is not key:
            return
        self._key_in_flight = None
        if self._key_timer is not None:
            self._key_timer.stop()
            self._key_timer = None
        if self._held_keys:
            following = self._held_keys.popleft()
            self._key_in_flight = following  # nothing may overtake it on the way through the queue
            self.post_message(following)
            if self._held_keys:
                self._key_timer = self.set_timer(KEY_RELEASE_SECONDS, self._release_stuck_key)

    def _release_stuck_key(self) -> None:
        self._key_timer = None
        if self._key_in_flight is not None:
            self._release_key(self._key_in_flight)
