"""Every text of the staff pages and the ready board, in Korean and English."""

from __future__ import annotations

LANGUAGES = ("ko", "en")

TEXT: dict[str, dict[str, str]] = {
    "staff.title": {"ko": "주문 현황", "en": "Orders"},
    "login.title": {"ko": "직원 로그인", "en": "Staff sign-in"},
    "login.pin": {"ko": "관리자 PIN", "en": "Admin PIN"},
    "login.submit": {"ko": "로그인", "en": "Sign in"},
    "login.no_pin": {"ko": "관리자 PIN이 설정되지 않았습니다. 'untact-admin set-pin'으로 설정하세요.",
                     "en": "No admin PIN is set. Set one with 'untact-admin set-pin'."},
    "logout": {"ko": "로그아웃", "en": "Sign out"},
    "skip": {"ko": "본문으로 건너뛰기", "en": "Skip to main content"},
    "lang.other": {"ko": "English", "en": "한국어"},
    "queue": {"ko": "주문 대기열", "en": "Order queue"},
    "queue.empty": {"ko": "기다리는 주문이 없습니다", "en": "No orders waiting"},
    "order": {"ko": "{number}번", "en": "No. {number}"},
    "status.new": {"ko": "신규", "en": "New"},
    "status.preparing": {"ko": "준비 중", "en": "Preparing"},
    "status.ready": {"ko": "준비 완료", "en": "Ready"},
    "status.collected": {"ko": "수령 완료", "en": "Collected"},
    "to.preparing": {"ko": "{number}번 준비 시작", "en": "Start No. {number}"},
    "to.ready": {"ko": "{number}번 준비 완료", "en": "No. {number} ready"},
    "to.collected": {"ko": "{number}번 수령 완료", "en": "No. {number} collected"},
    "paid": {"ko": "결제됨", "en": "paid"},
    "unpaid": {"ko": "카운터 결제", "en": "pay at counter"},
    "calls": {"ko": "직원 호출", "en": "Staff calls"},
    "calls.none": {"ko": "호출이 없습니다", "en": "No one is calling"},
    "call.row": {"ko": "{kiosk} 키오스크에서 호출 ({seconds}초 전)", "en": "Kiosk {kiosk} is calling ({seconds} s ago)"},
    "call.ack": {"ko": "{kiosk} 호출 확인", "en": "Answer {kiosk}"},
    "menu": {"ko": "품절 설정", "en": "Sold out"},
    "menu.on_sale": {"ko": "판매 중", "en": "on sale"},
    "menu.sold_out": {"ko": "품절", "en": "sold out"},
    "menu.to_sold_out": {"ko": "{name} 품절로", "en": "Mark {name} sold out"},
    "menu.to_on_sale": {"ko": "{name} 판매 재개", "en": "Put {name} back on sale"},
    "devices": {"ko": "기기 상태", "en": "Devices"},
    "device.boards": {"ko": "센서 보드", "en": "Sensor boards"},
    "device.camera": {"ko": "카메라", "en": "Camera"},
    "device.microphone": {"ko": "마이크", "en": "Microphone"},
    "device.printer": {"ko": "프린터", "en": "Printer"},
    "device.not_set_up": {"ko": "설정 안 됨", "en": "not set up"},
    "kiosk": {"ko": "키오스크 {kiosk}", "en": "Kiosk {kiosk}"},
    "totals": {"ko": "오늘 합계", "en": "Today's totals"},
    "totals.text": {"ko": "주문 {count}건, 합계 {total}원 (결제됨 {paid}원, 카운터 결제 대기 {unpaid}원)",
                    "en": "{count} orders, {total} won (paid {paid} won, at the counter {unpaid} won)"},
    "export": {"ko": "오늘 주문 CSV 내려받기", "en": "Download today's orders (CSV)"},
    "live.connected": {"ko": "실시간 연결됨", "en": "Live"},
    "live.lost": {"ko": "연결이 끊겼습니다. 다시 연결하는 중", "en": "Connection lost, reconnecting"},
    "not_sent": {"ko": "전송하지 못했습니다. 연결을 확인하고 다시 누르세요.", "en": "Not sent. Check the connection and tap again."},
    "refused": {"ko": "바꾸지 못했습니다: {reason}", "en": "Not changed: {reason}"},
    "board.title": {"ko": "주문 안내", "en": "Order board"},
    "board.preparing": {"ko": "준비 중", "en": "Preparing"},
    "board.ready": {"ko": "준비 완료", "en": "Ready"},
    "board.sound": {"ko": "안내 소리 켜기", "en": "Turn announcements on"},
    "board.announce": {"ko": "{number}번 고객님, 주문하신 메뉴가 준비되었습니다.",
                       "en": "Order number {number}, your order is ready."},
    "forbidden": {"ko": "허용되지 않은 요청입니다.", "en": "This request is not allowed."},
}


def t(key: str, lang: str, **kw: object) -> str:
    texts = TEXT[key]
    text = texts.get(lang) or texts["ko"]
    return text.format(**kw) if kw else text


def both(key: str, **kw: object) -> str:
    """Korean and English together, for what the board shows to everyone."""
    return " / ".join(t(key, lang, **kw) for lang in LANGUAGES)
