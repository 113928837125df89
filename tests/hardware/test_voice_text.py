"""Jamo decomposition and fuzzy matching: the ground the understander stands on."""

from untact.hardware.voice.text import distance, find, jamo, normalize, similarity


def test_syllables_decompose_into_initial_vowel_final():
    assert jamo("한") == "ㅎㅏㄴ\u0304"
    assert jamo("아메리카노") == "ㅇㅏㅁㅔㄹㅣㅋㅏㄴㅗ"
    assert jamo("두 잔!") == jamo("두잔")  # spaces and punctuation do not count


def test_a_misheard_consonant_is_a_small_distance_not_a_whole_syllable():
    # "잔" heard as "장": one final differs; as syllables it would be a total miss
    assert distance("두 잔", "두 장") == 0.5  # final ㄴ/ㅇ: nasals, alike
    assert distance("결제", "겔제") == 1.0  # ㅓ/ㅔ are not alike...
    assert distance("개", "게") == 0.5  # ...but ㅐ/ㅔ are
    assert similarity("결제", "여제") > 0.5
    assert similarity("다음", "결제") < 0.5


def test_find_locates_a_phrase_inside_a_longer_utterance():
    score, start, end = find("아메리카노", "아이스 아메리카노 두 잔 주세요")
    assert score == 1.0
    assert (start, end) == (6, 16)  # after ㅇㅏㅇㅣㅅㅡ
    score, _, _ = find("두 잔", "아이스 아메리카노 두 자 주세요")
    assert 0.7 < score < 1.0
    assert find("cafe latte", "one cafe latte please")[0] == 1.0


def test_normalize_is_case_and_punctuation_blind():
    assert normalize("  Two ICED, americanos! ") == "two iced americanos"
