import { describe, expect, it } from "vitest";
import {
  CsvReader,
  CsvSyntaxError,
  CsvValueError,
  csvCell,
  detectDelimiter,
  dayNumber,
  formatCsv,
  formatDay,
  parseAmount,
  parseCsv,
  parseDay,
  readCsv,
} from "./csv";

describe("CsvReader", () => {
  it("parses quotes, escaped quotes, quoted newlines, CRLF and BOM with start line numbers", () => {
    const text = '\uFEFFid,note,amount\r\n1,"a, b",3\r\n2,"say ""hi""\r\nnext line",4\r\n\r\n3,,5';
    const rows = parseCsv(text);
    expect(rows).toEqual([
      { fields: ["id", "note", "amount"], line: 1 },
      { fields: ["1", "a, b", "3"], line: 2 },
      { fields: ["2", 'say "hi"\r\nnext line', "4"], line: 3 },
      { fields: ["3", "", "5"], line: 6 },
    ]);
  });

  it("gives identical rows whatever the chunk boundaries", () => {
    const text = 'a,b\r\n"x\r\ny","q""q"\r\n1,2\n3,"4"\r\n';
    const whole = parseCsv(text);
    for (let size = 1; size <= 7; size++) {
      const rows: Array<{ fields: string[]; line: number }> = [];
      const r = new CsvReader((fields, line) => rows.push({ fields, line }));
      for (let i = 0; i < text.length; i += size) r.write(text.slice(i, i + size));
      r.end();
      expect(rows).toEqual(whole);
    }
    expect(whole.map((r) => r.line)).toEqual([1, 2, 4, 5]);
  });

  it("reads whitespace-separated files (CDNOW style) and a trailing empty field", () => {
    const rows = parseCsv(" 00004 0001 19970101  2   29.33\n\n 00004 0001 19970118  2   29.73\n", {
      delimiter: "whitespace",
    });
    expect(rows).toEqual([
      { fields: ["00004", "0001", "19970101", "2", "29.33"], line: 1 },
      { fields: ["00004", "0001", "19970118", "2", "29.73"], line: 3 },
    ]);
    expect(parseCsv("a,b,\n")).toEqual([{ fields: ["a", "b", ""], line: 1 }]);
  });

  it("rejects an unterminated quote with its line", () => {
    expect(() => parseCsv('a,b\n1,"oops\n2,3')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a,b\n1,"oops\n2,3')).toThrow(/line 2/);
  });

  it("streams byte chunks with multi-byte characters split across chunks", async () => {
    const bytes = new TextEncoder().encode("name,v\nÉlodie €,1\n");
    const chunks = [bytes.slice(0, 9), bytes.slice(9, 10), bytes.slice(10)];
    const rows = [];
    for await (const r of readCsv(chunks)) rows.push(r);
    expect(rows[1]).toEqual({ fields: ["Élodie €", "1"], line: 2 });
  });

  it("detects delimiters", () => {
    expect(detectDelimiter("a,b,c")).toBe(",");
    expect(detectDelimiter("a;b;c")).toBe(";");
    expect(detectDelimiter(" 00004 0001 19970101  2   29.33")).toBe("whitespace");
    expect(detectDelimiter("single")).toBe(",");
  });
});

describe("value parsing", () => {
  it("parses the three date forms to the same day", () => {
    const d = dayNumber(1997, 9, 30);
    expect(parseDay("1997-09-30", "date", 2)).toBe(d);
    expect(parseDay("19970930", "date", 2)).toBe(d);
    expect(parseDay("1997-09-30 00:00:00", "date", 2)).toBe(d);
    expect(parseDay("1997-09-30T23:59:59-04:00", "date", 2)).toBe(d);
    expect(parseDay("1997-09-30T10:00:00.123Z", "date", 2)).toBe(d);
    expect(formatDay(d)).toBe("1997-09-30");
    expect(dayNumber(1970, 1, 1)).toBe(0);
  });

  it("names the column and line of a bad date or amount", () => {
    expect(() => parseDay("1997-02-30", "order_date", 17)).toThrow(/line 17, column "order_date"/);
    expect(() => parseDay("yesterday", "d", 3)).toThrow(CsvValueError);
    expect(() => parseDay("", "d", 3)).toThrow(/line 3/);
    expect(() => parseAmount("12,5x", "total", 9)).toThrow(/line 9, column "total"/);
    expect(() => parseAmount("", "total", 9)).toThrow(CsvValueError);
    expect(() => parseAmount("NaN", "total", 9)).toThrow(CsvValueError);
    try {
      parseAmount("abc", "total", 4);
    } catch (e) {
      expect((e as CsvValueError).column).toBe("total");
      expect((e as CsvValueError).line).toBe(4);
    }
  });

  it("parses amounts with signs, exponents, currency and thousands separators", () => {
    expect(parseAmount(" 29.33 ", "a", 1)).toBe(29.33);
    expect(parseAmount("-5", "a", 1)).toBe(-5);
    expect(parseAmount("1e3", "a", 1)).toBe(1000);
    expect(parseAmount("$1,234.50", "a", 1)).toBe(1234.5);
    expect(parseAmount("-$3", "a", 1)).toBe(-3);
  });
});

describe("CSV writer", () => {
  it("neutralises formula injection but keeps plain numbers", () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell("+1+2")).toBe("'+1+2");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("\rcmd")).toBe('"\'\rcmd"');
    expect(csvCell("-12.5")).toBe("-12.5");
    expect(csvCell("+3")).toBe("+3");
    expect(csvCell(-12.5)).toBe("-12.5");
    expect(csvCell(Number.NaN)).toBe("");
    expect(csvCell(null)).toBe("");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("plain")).toBe("plain");
  });

  it("round-trips through the reader", () => {
    const rows: Array<Array<string | number>> = [
      ["1", 'he said "hi"', 3.5],
      ["2", "multi\nline", -1],
    ];
    const text = formatCsv(["id", "note", "v"], rows);
    const back = parseCsv(text).map((r) => r.fields);
    expect(back).toEqual([
      ["id", "note", "v"],
      ["1", 'he said "hi"', "3.5"],
      ["2", "multi\nline", "-1"],
    ]);
  });
});
