from hypothesis import given
from hypothesis import strategies as st

from kernels import codes

# Real-format examples computed by hand from GB 32100 / GB 11643 weights.
VALID_USCC = "91350100M000100Y43"


def test_known_uscc_is_valid():
    assert codes.uscc_problem(VALID_USCC) is None


def test_uscc_with_wrong_check_character_is_rejected():
    wrong = VALID_USCC[:-1] + ("0" if VALID_USCC[-1] != "0" else "1")
    assert codes.uscc_problem(wrong) == "check"


def test_uscc_rules_are_named():
    assert codes.uscc_problem("123") == "length"
    assert codes.uscc_problem("91350100M000100YI3") == "alphabet"  # I is not in the alphabet


@given(st.text(alphabet=codes.USCC_ALPHABET, min_size=17, max_size=17))
def test_any_body_with_its_computed_check_character_is_valid(body):
    assert codes.uscc_problem(body + codes.uscc_check_character(body)) is None


@given(st.text(alphabet=codes.USCC_ALPHABET, min_size=17, max_size=17), st.sampled_from(codes.USCC_ALPHABET))
def test_a_wrong_check_character_is_always_caught(body, check):
    if check != codes.uscc_check_character(body):
        assert codes.uscc_problem(body + check) == "check"


def test_id_number_check_digit_iso_7064():
    # 11010519491231002X is the standard's own worked example.
    assert codes.id_number_problem("11010519491231002X") is None
    assert codes.id_number_problem("110105194912310021") == "check"
    assert codes.id_number_problem("110105194913310028") == "birthdate"
    assert codes.id_number_problem("11010519491231002") == "length"
    assert codes.id_number_problem("1101051949123100AX") == "digits"


def test_id_number_is_masked_in_the_middle():
    assert codes.mask_id_number("11010519491231002X") == "110105********002X"
    assert codes.mask_id_number("") == ""


def test_a_short_id_number_is_masked_without_showing_most_of_it():
    assert codes.mask_id_number("1234567") == "*****67"
    assert codes.mask_id_number("1") == "*"
