"""Writes the hostile XML corpus beside this file: ``python tests/fuzz/hostile_xml/make_corpus.py``.

Each document is a partner's SubmitRecord SOAP request with valid X-Road headers and a valid
employment record, with one hostile part: without that part it would be stored, so a
refusal is about the part. Tokens the tests replace before sending: ``__CANARY__`` (an
``http://127.0.0.1:<port>`` server that records every connection), ``__SECRET__`` (a
``file://`` URI of a file whose content must never come back) and ``__ID__`` (the X-Road
message id). The committed files are the corpus; this script documents how they were made.
"""

from __future__ import annotations

import pathlib

HERE = pathlib.Path(__file__).parent
NS = (
    'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xrd="http://x-road.eu/xsd/xroad.xsd" '
    'xmlns:id="http://x-road.eu/xsd/identifiers" xmlns:p="http://ekm.gov.ua/partner/v1"'
)
HEADER = (
    '<soapenv:Header><xrd:client id:objectType="SUBSYSTEM"><id:xRoadInstance>UA</id:xRoadInstance>'
    "<id:memberClass>GOV</id:memberClass><id:memberCode>37508470</id:memberCode>"
    '<id:subsystemCode>DCZ</id:subsystemCode></xrd:client><xrd:service id:objectType="SERVICE">'
    "<id:xRoadInstance>UA</id:xRoadInstance><id:memberClass>GOV</id:memberClass>"
    "<id:memberCode>00000000</id:memberCode><id:subsystemCode>EKM</id:subsystemCode>"
    "<id:serviceCode>SubmitRecord</id:serviceCode></xrd:service><xrd:id>__ID__</xrd:id>"
    "<xrd:userId>dcz-officer-7</xrd:userId><xrd:protocolVersion>4.0</xrd:protocolVersion></soapenv:Header>"
)
FIELDS = {"source_id": "__ID__", "rnokpp": "3221512349", "registered_on": "2026-11-20", "center_code": "KYIV-01"}


def envelope(
    prolog: str = "",
    center: str = "KYIV-01",
    extra_body: str = "",
    root_attrs: str = "",
    declaration: str = '<?xml version="1.0" encoding="UTF-8"?>',
) -> str:
    fields = "".join(f'<p:field name="{k}">{center if k == "center_code" else v}</p:field>' for k, v in FIELDS.items())
    return (
        f"{declaration}{prolog}<soapenv:Envelope {NS}{root_attrs}>{HEADER}<soapenv:Body><p:SubmitRecord>"
        f"<p:recordType>employment.registered</p:recordType>{fields}{extra_body}"
        f"</p:SubmitRecord></soapenv:Body></soapenv:Envelope>"
    )


def laughs(levels: int = 10) -> str:
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)]
    return f"<!DOCTYPE soapenv:Envelope [{''.join(entities)}]>"


def corpus() -> dict[str, bytes]:
    docs: dict[str, str | bytes] = {
        "billion_laughs.xml": envelope(laughs(), center="&lol9;"),
        "quadratic_blowup.xml": envelope(
            '<!DOCTYPE soapenv:Envelope [<!ENTITY a "' + "A" * 50_000 + '">]>', center="&a;" * 200
        ),
        "external_entity_file.xml": envelope(
            '<!DOCTYPE soapenv:Envelope [<!ENTITY xxe SYSTEM "__SECRET__">]>', center="&xxe;"
        ),
        "external_entity_http.xml": envelope(
            '<!DOCTYPE soapenv:Envelope [<!ENTITY xxe SYSTEM "__CANARY__/entity">]>', center="&xxe;"
        ),
        "external_dtd.xml": envelope('<!DOCTYPE soapenv:Envelope SYSTEM "__CANARY__/evil.dtd">'),
        "public_dtd.xml": envelope('<!DOCTYPE soapenv:Envelope PUBLIC "-//EVIL//DTD//EN" "__CANARY__/public.dtd">'),
        "parameter_entity.xml": envelope(
            '<!DOCTYPE soapenv:Envelope [<!ENTITY % remote SYSTEM "__CANARY__/param.dtd"> %remote;]>'
        ),
        "entity_in_attribute.xml": envelope(
            '<!DOCTYPE soapenv:Envelope [<!ENTITY xxe SYSTEM "__SECRET__"><!ATTLIST p:field x CDATA "&xxe;">]>'
        ),
        "xinclude_file.xml": envelope(
            center='<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="__SECRET__" parse="text"/>'
        ),
        "xinclude_http.xml": envelope(
            extra_body='<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="__CANARY__/xinclude"/>'
        ),
        "xinclude_2003.xml": envelope(
            extra_body='<xi:include xmlns:xi="http://www.w3.org/2003/XInclude" href="__SECRET__" parse="text"/>'
        ),
        "schema_location.xml": envelope(
            root_attrs=' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://ekm.gov.ua/partner/v1 __CANARY__/schema.xsd"'
        ),
        "deeply_nested.xml": envelope(extra_body="<p:x>" * 5000 + "</p:x>" * 5000),
        "huge_attribute.xml": envelope(extra_body='<p:note v="' + "A" * 100_000 + '"/>'),
        "many_attributes.xml": envelope(extra_body="<p:note " + " ".join(f'a{i}="{i}"' for i in range(6000)) + "/>"),
        "namespace_bomb.xml": envelope(
            extra_body="<p:ns "
            + " ".join(f'xmlns:b{i}="urn:b:{i}"' for i in range(3000))
            + ">"
            + "".join(f"<b{i}:x/>" for i in range(3000))
            + "</p:ns>"
        ),
        "doctype_only.xml": envelope("<!DOCTYPE soapenv:Envelope>"),
        "processing_instruction_stylesheet.xml": envelope('<?xml-stylesheet type="text/xsl" href="__CANARY__/x.xsl"?>'),
        "declared_latin1_holding_utf8.xml": envelope(
            declaration='<?xml version="1.0" encoding="ISO-8859-1"?>', center="Київ-01"
        ),
        "unknown_encoding.xml": envelope(declaration='<?xml version="1.0" encoding="X-EVIL-7"?>'),
    }
    out = {name: text.encode("utf-8") if isinstance(text, str) else text for name, text in docs.items()}
    # the same DTD attack in encodings a byte search for b"<!DOCTYPE" does not see
    laughs_doc = envelope(laughs(), center="&lol9;", declaration="")
    out["billion_laughs_utf16.xml"] = ('<?xml version="1.0" encoding="UTF-16"?>' + laughs_doc).encode("utf-16")
    out["external_entity_utf16le.xml"] = (
        '\ufeff<?xml version="1.0" encoding="UTF-16LE"?>'
        + envelope(
            '<!DOCTYPE soapenv:Envelope [<!ENTITY xxe SYSTEM "__CANARY__/utf16">]>', center="&xxe;", declaration=""
        )
    ).encode("utf-16-le")
    out["billion_laughs_utf32.xml"] = ('<?xml version="1.0" encoding="UTF-32"?>' + laughs_doc).encode("utf-32")
    out["billion_laughs_ebcdic.xml"] = ('<?xml version="1.0" encoding="IBM037"?>' + laughs_doc).encode("cp037")
    out["external_entity_windows1251.xml"] = (
        '<?xml version="1.0" encoding="windows-1251"?>'
        + envelope('<!DOCTYPE soapenv:Envelope [<!ENTITY xxe SYSTEM "__SECRET__">]>', center="&xxe;", declaration="")
    ).encode("cp1251")
    out["not_xml.xml"] = b"\x00\xff\xfe garbage <soapenv:Envelope"
    out["truncated.xml"] = envelope().encode()[:400]
    return out


if __name__ == "__main__":
    for name, body in corpus().items():
        (HERE / name).write_bytes(body)
    print(f"{len(corpus())} documents written to {HERE}")
