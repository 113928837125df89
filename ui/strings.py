"""Every word the kiosk shows or says, in every language, in one place.

Menu names come from the merchant's file; everything else comes from here, so a screen
never holds text of its own and a missing translation is caught by a test, not a customer.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "attract.welcome": {"ko": "{shop}에 오신 것을 환영합니다", "en": "Welcome to {shop}"},
    "attract.hint": {
        "ko": "화면 앞에 손을 대거나, 말씀하시거나, 아무 버튼이나 누르세요",
        "en": "Hold up your hand, speak, or press any button",
    },
    "attract.start": {"ko": "주문 시작", "en": "Start order"},
    "language.title": {"ko": "언어를 선택하세요", "en": "Choose a language"},
    "language.summary": {"ko": "한국어 또는 영어를 고를 수 있습니다", "en": "You can choose Korean or English"},
    "lang.ko": {"ko": "한국어", "en": "한국어 (Korean)"},
    "lang.en": {"ko": "English (영어)", "en": "English"},
    "categories.title": {"ko": "메뉴 종류를 고르세요", "en": "Choose a menu"},
    "categories.summary": {"ko": "{count}가지 메뉴 종류가 있습니다", "en": "There are {count} menus"},
    "items.summary": {"ko": "{count}가지 상품, {page}/{pages}쪽", "en": "{count} items, page {page} of {pages}"},
    "item.sold_out": {"ko": "품절", "en": "Sold out"},
    "options.title": {"ko": "{item} 옵션", "en": "{item}: options"},
    "options.summary": {"ko": "옵션과 수량을 고른 뒤 담기를 누르세요", "en": "Choose options and quantity, then add to cart"},
    "options.quantity": {"ko": "수량 {n}개", "en": "Quantity {n}"},
    "options.less": {"ko": "하나 적게", "en": "One less"},
    "options.more": {"ko": "하나 더", "en": "One more"},
    "options.add": {"ko": "{price} 담기", "en": "Add to cart, {price}"},
    "cart.title": {"ko": "장바구니", "en": "Your order"},
    "cart.summary": {"ko": "{count}개, 합계 {total}", "en": "Items: {count}, total {total}"},
    "cart.empty": {"ko": "장바구니가 비어 있습니다", "en": "Your cart is empty"},
    "cart.line": {"ko": "{name} {qty}개 {price}", "en": "{name} x{qty}, {price}"},
    "cart.less": {"ko": "{name} 하나 빼기", "en": "One less {name}"},
    "cart.more": {"ko": "{name} 하나 더", "en": "One more {name}"},
    "cart.total": {"ko": "합계 {total}", "en": "Total {total}"},
    "cart.checkout": {"ko": "주문하기", "en": "Place order"},
    "cart.order_more": {"ko": "더 담기", "en": "Order more"},
    "cart.cancel": {"ko": "주문 취소", "en": "Cancel order"},
    "checkout.title": {"ko": "결제 방법", "en": "Payment"},
    "checkout.summary": {"ko": "{count}개, 합계 {total}. 결제 방법을 고르세요",
                         "en": "Items: {count}, total {total}. Choose how to pay"},
    "checkout.counter": {"ko": "카운터에서 결제", "en": "Pay at the counter"},
    "checkout.saving": {"ko": "주문을 저장하고 있습니다", "en": "Saving your order"},
    "checkout.failed": {"ko": "주문을 저장하지 못했습니다. 직원을 불러 주세요.",
                        "en": "Your order could not be saved. Please call a member of staff."},
    "done.title": {"ko": "주문 번호", "en": "Your order number"},
    "done.summary": {"ko": "주문 번호는 {number}번입니다. 카운터에서 결제하고 번호를 기다려 주세요.",
                     "en": "Your order number is {number}. Please pay at the counter and wait for your number."},
    "done.finish": {"ko": "처음 화면으로", "en": "Finish"},
    "nav.back": {"ko": "뒤로", "en": "Back"},
    "nav.home": {"ko": "처음으로", "en": "Start over"},
    "nav.cart": {"ko": "장바구니 {count}개 · {total}", "en": "Cart {count} · {total}"},
    "nav.prev_page": {"ko": "이전 쪽", "en": "Previous page"},
    "nav.next_page": {"ko": "다음 쪽", "en": "Next page"},
    "nav.how": {"ko": "다음, 이전으로 움직이고 선택으로 고르세요",
                "en": "Move with next and previous, choose with select"},
    "help.title": {"ko": "도움말", "en": "Help"},
    "help.text": {
        "ko": "손을 좌우로 흔들거나 화살표 키로 움직이고, 손을 앞으로 밀거나 확인 키로 고르세요. "
              "'다음', '이전', '처음으로'라고 말씀하셔도 됩니다. 아무 버튼이나 누르면 돌아갑니다.",
        "en": "Swipe your hand or use the arrow keys to move, push your hand forward or press OK to "
              "choose. You can also say 'next', 'back' or 'start over'. Press any button to return.",
    },
    "role.button": {"ko": "버튼", "en": "button"},
    "state.selected": {"ko": "선택됨", "en": "selected"},
    "state.unavailable": {"ko": "선택할 수 없음", "en": "unavailable"},
}


def t(key: str, lang: str, **fmt: object) -> str:
    """The text for ``key`` in ``lang``, formatted with ``fmt``."""
    try:
        text = STRINGS[key][lang]
    except KeyError:
        raise KeyError(f"no {lang!r} text for {key!r}") from None
    return text.format(**fmt) if fmt else text
