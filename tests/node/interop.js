// What ExcelJS and SheetJS see in a workbook, and each one's save of it (kpibook's interop tests).
//   node interop.js open FILE          -> JSON: per reader, sheets, defined names, tables, drawings
//   node interop.js save-exceljs IN OUT [IN OUT ...]   each IN read and written back by ExcelJS
//   node interop.js save-sheetjs IN OUT [IN OUT ...]   the same with SheetJS
"use strict";
const fs = require("fs");
const ExcelJS = require("exceljs");
const XLSX = require("xlsx");

async function openExcelJS(file) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const sheets = [];
  const tables = [];
  wb.eachSheet((ws) => {
    sheets.push(ws.name);
    for (const t of Object.values(ws.tables || {})) tables.push(t.table ? t.table.name : t.name);
  });
  const names = (wb.definedNames.model || []).map((n) => n.name);
  // ExcelJS keeps no chart model; its media and drawing anchors are what it read of the drawings
  const drawings = wb.worksheets.map((ws) => (ws.getImages ? ws.getImages().length : 0));
  return { sheets, names, tables, drawings };
}

function openSheetJS(file) {
  const wb = XLSX.readFile(file, { cellFormula: true, bookFiles: true });
  const names = ((wb.Workbook || {}).Names || []).map((n) => n.Name);
  const files = wb.keys || Object.keys(wb.files || {});
  return {
    sheets: wb.SheetNames,
    names,
    tables: files.filter((f) => /xl\/tables\/table\d+\.xml$/.test(f)).length,
    charts: files.filter((f) => /xl\/charts\/chart\d+\.xml$/.test(f)).length,
    values: Object.fromEntries(
      wb.SheetNames.map((s) => [s, Object.fromEntries(Object.entries(wb.Sheets[s]).filter(([k]) => !k.startsWith("!")).map(([k, c]) => [k, c.v]))]),
    ),
  };
}

async function saveExcelJS(input, output) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(input);
  await wb.xlsx.writeFile(output);
}

function saveSheetJS(input, output) {
  const wb = XLSX.readFile(input, { cellFormula: true, cellStyles: true, cellNF: true, bookVBA: true });
  XLSX.writeFile(wb, output, { bookType: "xlsx", compression: true });
}

async function main() {
  const [command, ...files] = process.argv.slice(2);
  const [a] = files;
  if (command === "open") {
    const out = {};
    for (const [reader, open] of [["exceljs", openExcelJS], ["sheetjs", openSheetJS]]) {
      try {
        out[reader] = await open(a);
      } catch (e) {
        out[reader] = { error: String(e && e.message ? e.message : e) };
      }
    }
    process.stdout.write(JSON.stringify(out));
  } else if (command === "save-exceljs" || command === "save-sheetjs") {
    for (let i = 0; i + 1 < files.length; i += 2) {
      if (command === "save-exceljs") await saveExcelJS(files[i], files[i + 1]);
      else saveSheetJS(files[i], files[i + 1]);
    }
  } else {
    throw new Error("usage: interop.js open FILE | save-exceljs IN OUT | save-sheetjs IN OUT");
  }
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + "\n");
  process.exit(1);
});
