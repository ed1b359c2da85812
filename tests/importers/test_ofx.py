from __future__ import annotations

import pytest

from finance_app.importers import NoDataRowsError, TruncatedFileError, parse_file

from .conftest import as_keys

SGML = """OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX>
<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>
<DTSERVER>20250131<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>
<CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<CCSTMTRS><CURDEF>GBP<CCACCTFROM><ACCTID>4111</CCACCTFROM>
<BANKTRANLIST><DTSTART>20250101<DTEND>20250131
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250102230000[-5:EST]<TRNAMT>-12.50
<FITID>A1<NAME>A MERCHANT NAME FAR LONGER THAN THIRTY-TWO CHARACTERS<MEMO>Card 4111
</STMTTRN>
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20250103<TRNAMT>100.00<FITID>A2<NAME>M&amp;S REFUND
</STMTTRN>
</BANKTRANLIST></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>
"""


def test_sgml_ofx_that_ofxtools_refuses_is_read_by_the_tolerant_parser():
    table, _, result = parse_file(SGML.encode("cp1252"), "card.qfx")
    assert table.format == "ofx"
    assert as_keys(result) == [
        # The local day is kept: 23:00 EST must not become the 3rd in UTC.
        ("2025-01-02", "-12.50",
         "A MERCHANT NAME FAR LONGER THAN THIRTY-TWO CHARACTERS - Card 4111"),
        ("2025-01-03", "100.00", "M&S REFUND"),
    ]
    assert [(r.external_id, r.currency, r.row_number) for r in result.rows] == [
        ("A1", "GBP", 17), ("A2", "GBP", 20)]


def test_ofx_is_recognised_by_content_whatever_its_name():
    table, _, result = parse_file(SGML.encode(), "download.txt")
    assert table.format == "ofx"
    assert len(result.rows) == 2


def test_ofx_without_transactions():
    empty = SGML.split("<STMTTRN>")[0] + "</BANKTRANLIST></CCSTMTRS></CCSTMTTRNRS></OFX>"
    with pytest.raises(NoDataRowsError):
        parse_file(empty.encode(), "empty.ofx")


def test_a_truncated_ofx_is_refused_whole(load_sample):
    data = load_sample("statement.ofx")
    cut = data[: data.index(b"<STMTTRN>", len(data) // 2)]  # a download that stopped midway

    with pytest.raises(TruncatedFileError) as raised:
        parse_file(cut, "statement.ofx")

    assert "the file ends before its closing tag" in raised.value.message.lower()
    assert len(parse_file(data, "statement.ofx")[2].rows) == 242  # the whole file still reads


def test_an_sgml_ofx_cut_inside_a_transaction_is_refused():
    with pytest.raises(TruncatedFileError):
        parse_file(SGML[: SGML.index("<NAME>M&amp;S")].encode(), "card.qfx")
