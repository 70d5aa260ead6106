"""法人番号 (check digit), 介護保険事業所番号 and 医療機関コード: normalised, checked, read by the loader."""

from __future__ import annotations

import shutil

import pytest

from tsunagari.loaders.errors import DataPackageError
from tsunagari.loaders.external_ids import ExternalIdError, corporate_check_digit, normalize_external_id
from tsunagari.loaders.validate import read_package


def test_corporate_number_check_digit():
    # 国税庁's own number 7000012050002: digits from the right ×1,×2,… = 2+5+2+2 = 11, 9 - 11 mod 9 = 7
    assert corporate_check_digit("000012050002") == "7"
    assert normalize_external_id("corporate_number", "７０００－０１２０５０００２") == "7000012050002"
    with pytest.raises(ExternalIdError, match="expected 7"):
        normalize_external_id("corporate_number", "1000012050002")
    with pytest.raises(ExternalIdError, match="13 digits"):
        normalize_external_id("corporate_number", "700001205000")


def test_leading_zeros_restored_and_lengths_checked():
    assert normalize_external_id("ltc_provider_number", "170100011") == "0170100011"
    assert normalize_external_id("medical_institution_code", "123456") == "0123456"
    assert normalize_external_id("medical_institution_code", "2811234567") == "2811234567"
    for kind, bad in (("ltc_provider_number", "0070100011"), ("medical_institution_code", "12345"),
                      ("ltc_provider_number", "abc")):
        with pytest.raises(ExternalIdError):
            normalize_external_id(kind, bad)


def test_loader_reads_and_checks_the_columns(mini_path, tmp_path):
    folder = tmp_path / "pkg"
    shutil.copytree(mini_path, folder)
    text = (folder / "agencies.csv").read_text("utf-8").splitlines()
    text[0] += ",corporate_number,ltc_provider_number"
    # A 10-digit number starting with 0 looks like a phone number to the personal-data check of text
    # cells; as a `code` column it is an identifier.
    text[1] += ",7000012050002,0170100011"
    (folder / "agencies.csv").write_text("\n".join(text) + "\n", "utf-8")
    package = read_package(folder)
    agency = next(n for n in package.nodes if n.label == "Agency" and n.properties.get("ltc_provider_number"))
    assert agency.properties["corporate_number"] == "7000012050002"
    text[1] = text[1].replace("7000012050002", "7000012050003")
    (folder / "agencies.csv").write_text("\n".join(text) + "\n", "utf-8")
    with pytest.raises(DataPackageError) as err:
        read_package(folder)
    assert any(i.column == "corporate_number" and i.row == 2 for i in err.value.issues)


def test_manifest_code_check_digit_and_one_key(mini_path, tmp_path):
    folder = tmp_path / "pkg"
    shutil.copytree(mini_path, folder)
    manifest = (folder / "manifest.csv").read_text("utf-8")
    (folder / "manifest.csv").write_text(manifest.replace("code,99999", "code,999997"), "utf-8")
    assert read_package(folder).code == "99999"  # the 6-digit form is the same municipality
    (folder / "manifest.csv").write_text(manifest.replace("code,99999", "code,999998"), "utf-8")
    with pytest.raises(DataPackageError) as err:
        read_package(folder)
    assert any(i.column == "code" and "999997" in i.message_en for i in err.value.issues)
