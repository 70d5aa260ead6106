"""Generate ``docs/data-format.md`` from the model, so the documentation cannot drift from the loader.

Run ``python -m tsunagari.loaders.format_doc > docs/data-format.md``; a test checks the file is current.
"""

from __future__ import annotations

from tsunagari.graph.model import MANIFEST_FIELDS, NODE_KINDS, TIES_TABLE, Column
from tsunagari.graph.vocabulary import VOCABULARY_NAMES, vocabulary

__all__ = ["render_data_format"]

_TYPE_LABELS = {
    "id": "ID", "ref": "ID参照 reference", "text": "文字列 text", "int": "整数 integer ≥ 0",
    "float": "数値 number ≥ 0", "percent": "百分率 percent 0–100", "bool": "真偽 true/false",
    "term": "語彙 term", "terms": "語彙（複数, `;` 区切り）terms", "code": "番号 identifier (digits, checked)",
    "fiscal_year": "年度 fiscal year (western or 和暦)",
}

_INTRO = """# データパッケージ形式 / Data-package format

> This file is generated from `tsunagari/graph/model.py` and `tsunagari/graph/vocabulary.toml` by
> `python -m tsunagari.loaders.format_doc > docs/data-format.md`. Do not edit by hand.

1つの市町村 = 1つのデータパッケージ。次のどちらかの形で用意します。
A municipality is one data package, in either form:

- **CSVフォルダ / folder of CSV files**: `manifest.csv` と、ノードの種類ごとの表
  (`districts.csv`, `agencies.csv`, `councils.csv`, `resident_groups.csv`, `programs.csv`, `needs.csv`)
  と関係の表 `ties.csv`。フォルダを zip にしたものも読めます。/ plus `ties.csv`; a zip of the folder works too.
- **Excelブック / one .xlsx workbook**: 表ごとに1シート（シート名は表名、または日本語名: 基本情報, 圏域・地区,
  機関・部署, 会議体, 住民組織, 事業, 制度の狭間のニーズ, 関係）。/ one sheet per table.

## 共通の規則 / Common rules

- **文字コード / encoding**: UTF-8（BOMあり・なし）、Shift_JIS（CP932）、UTF-16（BOMあり、Excelの「Unicodeテキスト」）、
  EUC-JP を自動判別します。BOM があればそれに従い、なければ UTF-8、CP932、EUC-JP の順に厳密にデコードします
  （推測はしません）。判別できないファイルはエラーになります。
  UTF-8 with or without BOM, Shift_JIS/CP932, UTF-16 with BOM (Excel "Unicode text", tab-separated) and
  EUC-JP are detected: a UTF-8 or UTF-16 BOM decides; otherwise strict decoding tries UTF-8, CP932
  and EUC-JP in that order. Anything else is refused with an error.
- **区切り / delimiter**: カンマ。見出し行にタブの方が多ければタブ。/ comma, or tab when the header has more tabs.
- **見出し / header**: 1行目。列名は英語名でも日本語名（下表の「日本語」）でもよく、順序は自由です。不明な列は警告のうえ無視します。
  Row 1; columns may be named in English or Japanese, in any order; unknown columns are ignored with a warning.
- **`_` で始まるファイル / files named `_…`**: 表として読みません（取り込みの `_mapping_todo.csv` など、人のためのメモ）。
  Not read as tables (notes for people, such as an import's `_mapping_todo.csv`; `docs/importing.md`).
- **行番号 / row numbers**: エラーは表計算ソフトの行番号で示します（見出しが1行目、最初のデータが2行目）。
  Errors give spreadsheet row numbers (header = row 1).
- **正規化 / normalization**: ID・語彙・数値・真偽の列は Unicode NFKC で正規化します（全角英数字→半角、`；`→`;`）。
  数値の桁区切り `,` と空白は取り除きます。名称・自由記述は前後の空白を除くだけで、文字は変えません。
  Id, vocabulary, number and boolean cells are NFKC-normalized (full-width digits/letters become half-width);
  thousands separators and spaces in numbers are removed. Names and free text are only trimmed.
- **ID**: パッケージ全体（すべてのノードの表）で一意。空白と `:` は使えません。ストアでは `団体コード:ID` になります。
  Unique across all node tables of the package; no spaces or `:`. Stored as `code:id`.
- **出典 / source**: すべての行に必須。資料のファイル名と該当スライド・節を書きます。/ required on every row.
- **値がない / missing values**: 空欄のまま。推計値を入れないでください。/ leave empty; never estimate.
- **集約ノード / aggregate nodes**: 数だけ分かるもの（例: サロン 42か所）は1行にまとめ `count=42`, `aggregate=true`。
  Things known only as a count become one row with `count` and `aggregate=true`.
- **個人情報 / personal data**: 氏名・生年月日・個人の住所や電話番号・ケース記録などの列があるパッケージは読み込みを拒否します。
  Tsunagari は組織どうしの関係だけを扱います。事例は「どの機関とどの機関が何件の事例で連携したか」に集約してください。
  Packages with columns of personal data are refused: map organisations, never people. Turn case examples into
  organisation-to-organisation ties whose `weight` is the number of shared cases.
  文字列のセルに電話番号・メールアドレス・マイナンバーらしい12桁の数字・郵便番号・番地つきの住所があっても拒否します
  （機関の代表番号や所在地も分析には使わないため書かないでください）。人名を文章の中から見分けることはできません。
  Text cells holding a phone number, an e-mail address, a My Number-like 12-digit number, a postal code or a street
  address with block numbers are refused too (an organisation's own number or address is not needed either).
  A person's name inside free text cannot be recognised: review notes and features by eye.
- **Excel のセル / Excel cells**: 表示どおりに読みます。パーセント表示の数値（0.256 を 25.6% と表示）は「25.6%」となり、
  百分率の列（`association_rate` など）では 25.6、人数・件数などほかの数値の列ではエラー、文字の列では「25.6%」です。
  日付表示の数値は `2024-04-01`。数式は保存された計算結果を読み、結果のない数式（Excel で一度も開いていないファイル）と
  `#N/A` などのエラー値はセル番地つきでエラーにします。シートの `<dimension>`（使用範囲）は信用せず、すべての行を読みます。
  Cells read as Excel shows them: a percent-formatted 0.256 is "25.6%", so a percent column reads 25.6, any other
  number column refuses it and a text column keeps "25.6%"; date formats give `2024-04-01`; formulas give their saved
  result, and a formula without one, or an error value such as `#N/A`, is an error naming the cell. Every row is read,
  whatever the sheet's `<dimension>` says. `.xls` files, password-protected workbooks and workbooks with a DTD are refused.
- **ファイルが2つ / two files for one table**: `agencies.csv` と `機関・部署.csv`、`ties.csv` と `ties.tsv` のように
  同じ表のファイルが2つあるとエラーです。見出しより多いセルがある行（引用符のない `,` を含む値）もエラーです。
  Two files (or sheets) for one table are an error, and so is a row with more cells than the header (an unquoted `,`).
- **上限 / limits**: 1つの表 256 MB・100万行、1セル 32,767 文字、1行 1,000 列、見出し行 64 KB、パッケージ全体（展開後）
  512 MB、zip の中身 1,000 個、圧縮率 100 倍（1 MB 超のファイル）、1つのノードの関係 10,000 件。環境変数
  `TSUNAGARI_MAX_ROWS` などで変更できます（docs/reliability.md「入力の上限」）。
  One table 256 MB and 1,000,000 rows, a cell 32,767 characters, a row 1,000 cells, the header line 64 KB, a
  package 512 MB uncompressed, a zip 1,000 entries, compression 100:1 (entries over 1 MB), 10,000 ties at one node;
  each can be changed by a `TSUNAGARI_MAX_…` variable (docs/reliability.md, *Limits on input*).
- **検証 / validation**: 何かを書き込む前にすべての表を検証し、すべての誤りをまとめて（ファイル・行・列・日本語と英語の説明つきで）報告します。
  誤りが1つでもあればストアは変更されません。/ All problems are reported together before anything is written;
  with any error the store is left unchanged.
- **参照列が作る関係 / ties implied by reference columns**: `districts.parent` → `PART_OF`（空欄なら市町村へ）、
  `agencies.parent` → `PART_OF`、`agencies.district` → `LOCATED_IN`、`councils/resident_groups/programs.district`
  → `SERVES`、`programs.responsible` → 所管課から事業への `OPERATES`、`councils.convener` → 主催機関から会議体への `OPERATES`
  （これらの `OPERATES` は所管・主催を表し、`operation` を持ちません / responsibility, no `operation`）。
"""


_FISCAL_YEARS = """### 年度 / fiscal years

`fiscal_year`（年度）は、そのパッケージがどの年度の状態を表すかです。ストアは市町村 × 年度ごとに1つのスナップショットを持ち、
読み込みはその年度のスナップショットだけを置き換えます（ほかの年度はそのまま）。読む側のコマンドは `--year` で年度を選び、
既定は最新の年度です。`tsunagari diff 市町村 年度A 年度B` が2つの年度の違いを示します（docs/fiscal-years.md）。
The store keeps one snapshot per municipality and fiscal year; a load replaces only its year. Reading commands take
`--year` (default: the latest); `tsunagari diff MUNICIPALITY YEAR_A YEAR_B` compares two (docs/fiscal-years.md).

- **書き方 / forms**: `2024`、`FY2024`、`2024年度`、`令和6年度`、`令和6`、`R6`、`R6年度`、`令和元年度`（元 = 1）、`平成31年度`、
  `H31`（明治 M・大正 T・昭和 S・平成 H・令和 R）。全角も可。年度 N は N年4月1日〜N+1年3月31日で、西暦の開始年で保存します：
  令和6年度 = 2024、平成31年度 = 令和元年度 = 2019。Stored as the western year in which the fiscal year starts.
- **誤り / errors**: 読めない値（`来年度`、`2024年4月`）や元号にない年（`平成32年度`）は、ファイル・行・列を示すエラーです。
  An unreadable value or an era year that does not exist is an error naming the file, row and field.
- **空欄 / empty (default)**: 年度のないパッケージ（この項目ができる前のものを含む）は、その市町村の「年度不明」スナップショット
  として読み込み、警告を出します。年度不明はどの年度よりも古いものとして扱い、年度つきのスナップショットがあれば既定で読まれる
  のはそちらです（`--year unknown` で年度不明を読めます）。A package without a year is the municipality's *year-unknown*
  snapshot, loaded with a warning; it sorts before every dated snapshot, so the latest dated one is read by default
  (`--year unknown` reads it). A store made before fiscal years holds exactly these snapshots and reads as before.
"""


def _column_rows(columns: tuple[Column, ...]) -> list[str]:
    rows = ["| 列 column | 日本語 | 型 type | 必須 required | 説明 | description | 例 example |",
            "|---|---|---|---|---|---|---|"]
    for c in columns:
        type_label = _TYPE_LABELS[c.type]
        if c.vocabulary:
            type_label += f" (`{c.vocabulary}`)"
        if c.ref_kinds:
            type_label += f" → {', '.join(c.ref_kinds)}"
        rows.append(f"| `{c.name}` | {c.ja} | {type_label} | {'必須 yes' if c.required else ''} | "
                    f"{c.description_ja} | {c.description_en} | {c.example} |")
    return rows


def render_data_format() -> str:
    """The Markdown text of ``docs/data-format.md``."""
    lines = [_INTRO, "## manifest（基本情報）", "",
             "2列 `key,value` の表。各行が1項目です。/ A two-column `key,value` table, one field per row.", ""]
    lines += _column_rows(MANIFEST_FIELDS)
    lines += ["", _FISCAL_YEARS]
    for kind in NODE_KINDS:
        lines += ["", f"## {kind.table}（{kind.table_ja}） → `{kind.label}`", ""]
        lines += _column_rows(kind.columns)
    lines += ["", "## ties（関係）", "",
              "1行が1つの関係。`from` と `to` はノードのID。/ One row per tie between two node ids.", ""]
    lines += _column_rows(TIES_TABLE)
    lines += ["", "### 関係の種類と結べるノード / Tie kinds and the node kinds they join", "",
              "| kind | 日本語 | English | from | to | 向き direction |", "|---|---|---|---|---|---|"]
    for term in vocabulary("tie_kinds"):
        lines.append(f"| `{term.code}` | {term.ja} | {term.en} | {', '.join(term.extra['from'])} | "
                     f"{', '.join(term.extra['to'])} | {'有向 directed' if term.extra['directed'] else '無向 undirected'} |")
    lines += ["", "## 語彙 / Vocabularies", "",
              "語彙の値は日本語ラベル・英語コード・別名のどれで書いてもよく、保存は日本語ラベルです。",
              "Vocabulary cells may use the Japanese label, the English code or an alias; the Japanese label is stored.",
              "Source: `tsunagari/graph/vocabulary.toml`."]
    for name in VOCABULARY_NAMES:
        if name in ("node_kinds", "tie_kinds"):
            continue
        vocab = vocabulary(name)
        lines += ["", f"### `{name}`", "", "| 日本語 | code | English | 別名 aliases | その他 |", "|---|---|---|---|---|"]
        for term in vocab:
            extra = ", ".join(f"{k}={v}" for k, v in term.extra.items())
            lines.append(f"| {term.ja} | `{term.code}` | {term.en} | {', '.join(term.aliases)} | {extra} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(render_data_format())
