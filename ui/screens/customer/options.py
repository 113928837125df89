"""Options of one item (hot/iced, size, extra shot) with their price changes, and quantity."""

from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.widget import Widget
from untact.shop.cart import CartLine, won
from untact.ui.strings import t

from ..base import KioskScreen
from .navbar import fill_navbar


class OptionsScreen(KioskScreen):
    back_to = "items"
    item: str = ""
    choices: dict[str, str]
    quantity: int = 1

    def on_params(self) -> None:
        """A new item: start from its defaults."""
        item = self.ctx.kiosk.item(self.item)
        self.choices = {g: self.ctx.kiosk.options[g].default for g in item.options}
        self.quantity = 1

    def _line(self) -> CartLine:
        return CartLine(self.ctx.kiosk.item(self.item), dict(self.choices), self.quantity)

    def refresh(self) -> None:
        ctx, kiosk, style = self.ctx, self.ctx.kiosk, self.ctx.style
        item = kiosk.item(self.item)
        self.ids.title.text = self.title()
        self.ids.summary.text = self.summary()
        groups = self.ids.groups
        groups.clear_widgets()
        for gid in item.options:
            group = kiosk.options[gid]
            row = BoxLayout(spacing=style.px_per_mm * 3, size_hint_y=None,
                            height=style.px_per_mm * 24 * style.target_scale)
            heading = Label(text=group.name[ctx.lang], color=style.theme["fg"],
                            font_size=style.px_per_mm * 10 * style.text_scale, size_hint_x=0.3,
                            halign="left", valign="middle")
            heading.bind(size=lambda w, s: setattr(w, "text_size", s))
            row.add_widget(heading)
            for choice in group.choices:
                labels = {}
                for lang in kiosk.languages:
                    extra = f" +{won(choice.price, lang)}" if choice.price else ""
                    labels[lang] = f"{choice.name[lang]}{extra}"
                selected = self.choices[gid] == choice.id
                # The state is shown by a mark as well as by colour (WCAG 1.4.1).
                row.add_widget(self.button(labels, variant="choice", payload=("choice", (gid, choice.id)),
                                           selected=selected, role="radio",
                                           size_hint_x=0.7 / len(group.choices),
                                           text=("● " if selected else "○ ") + labels[ctx.lang]))
            groups.add_widget(row)
        groups.add_widget(Widget())
        q = self.ids.quantity
        q.clear_widgets()
        q.add_widget(self.button("options.less", payload=("qty", -1), disabled=self.quantity <= 1))
        qty_label = Label(text=self.t("options.quantity", n=self.quantity), color=style.theme["fg"],
                          font_size=style.px_per_mm * 10 * style.text_scale)
        q.add_widget(qty_label)
        q.add_widget(self.button("options.more", payload=("qty", +1)))
        add = self.ids.add
        add.clear_widgets()
        total = self._line().total(kiosk)
        add.add_widget(self.button({lang: t("options.add", lang, price=won(total, lang))
                                    for lang in kiosk.languages}, variant="primary", payload=("add", None)))
        fill_navbar(self, self.ids.nav, back=True, cart=False)

    def orderable_by_voice(self):
        return (self.item,)

    def title(self) -> str:
        return self.t("options.title", item=self.ctx.kiosk.item(self.item).name[self.ctx.lang])

    def summary(self) -> str:
        return self.t("options.summary")

    def on_activate(self, widget) -> None:
        kind, value = widget.payload
        if kind == "choice":
            gid, cid = value
            self.choices[gid] = cid
            self.ctx.rebuild(keep_focus=True)
        elif kind == "qty":
            self.quantity = max(1, min(20, self.quantity + value))
            self.ctx.rebuild(keep_focus=True)
        elif kind == "add":
            self.ctx.add_to_cart(self.item, self.choices, self.quantity)
        else:
            self.ctx.nav_action(kind, self)
