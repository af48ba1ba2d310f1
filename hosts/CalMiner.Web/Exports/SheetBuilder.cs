using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CalMiner.Web.Exports;

/// <summary>The cell styles of the exported workbooks; each is an index into <see cref="SheetBuilder.Stylesheet"/>'s cell formats.</summary>
internal enum Style : uint
{
    Plain = 0,
    Bold = 1,
    Title = 2,
    Heading = 3,
    Note = 4,

    /// <summary>Money and tonnages: <c>#,##0</c>.</summary>
    Amount = 5,
    AmountBold = 6,

    /// <summary>Per-unit amounts: <c>#,##0.00</c>.</summary>
    Decimal = 7,
    Percent = 8,

    /// <summary>Years: <c>0.00</c>.</summary>
    Years = 9,

    /// <summary>Discount factors and other fractions: <c>0.000000</c>.</summary>
    Factor = 10,

    /// <summary>Whole numbers shown as they are (period indices, years, counts): <c>0</c>.</summary>
    Integer = 11,
    IntegerBold = 12,
}

/// <summary>
/// Writes one worksheet row by row. Numbers stay unrounded (number formats only change how they look);
/// text is stored as inline strings, so no text a user typed is ever read as a formula. A formula cell
/// carries the value its author expects as its cached value, so that readers that do not calculate
/// (previews, Excel's Protected View) still show figures; <see cref="SheetBuilder.Workbook"/> asks every
/// spreadsheet to recalculate on load.
/// </summary>
internal sealed class SheetBuilder
{
    private readonly List<Row> _rows = [];
    private readonly List<double> _widths = [];
    private Row? _row;

    /// <summary>The current row's number, 1-based; 0 before the first.</summary>
    public int RowNumber => _rows.Count;

    /// <summary>Starts the next row; cells go into it from column 1.</summary>
    public SheetBuilder NewRow()
    {
        _row = new Row { RowIndex = (uint)(_rows.Count + 1) };
        _rows.Add(_row);
        return this;
    }

    public SheetBuilder Width(int column, double characters)
    {
        while (_widths.Count < column)
        {
            _widths.Add(0);
        }

        _widths[column - 1] = characters;
        return this;
    }

    public SheetBuilder Text(int column, string text, Style style = Style.Plain) =>
        Add(column, new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve }) }, style);

    /// <summary>A number; NaN and infinities cannot be stored and become an empty cell.</summary>
    public SheetBuilder Number(int column, double value, Style style = Style.Amount) =>
        double.IsFinite(value) ? Add(column, new Cell { CellValue = new CellValue(value) }, style) : this;

    public SheetBuilder Number(int column, double? value, Style style) =>
        value is { } number ? Number(column, number, style) : this;

    /// <summary>A formula (without the leading <c>=</c>) with the number it is expected to give.</summary>
    public SheetBuilder Formula(int column, string formula, double cached, Style style = Style.Amount) =>
        Add(column, double.IsFinite(cached)
            ? new Cell { CellFormula = new CellFormula(formula), CellValue = new CellValue(cached) }
            : new Cell { CellFormula = new CellFormula(formula) }, style);

    /// <summary>A formula expected to give text, e.g. <c>""</c> or <c>not reached</c>.</summary>
    public SheetBuilder TextFormula(int column, string formula, string cached, Style style = Style.Plain) =>
        Add(column, new Cell { DataType = CellValues.String, CellFormula = new CellFormula(formula), CellValue = new CellValue(cached) }, style);

    /// <summary>A formula expected to give an error, e.g. <c>#NUM!</c> from IRR where there is none.</summary>
    public SheetBuilder ErrorFormula(int column, string formula, string error, Style style = Style.Plain) =>
        Add(column, new Cell { DataType = CellValues.Error, CellFormula = new CellFormula(formula), CellValue = new CellValue(error) }, style);

    /// <summary>The reference of a cell, e.g. <c>E12</c>; with <paramref name="absolute"/>, <c>$E$12</c>.</summary>
    public static string Reference(int column, int row, bool absolute = false) =>
        absolute ? $"${ColumnName(column)}${row}" : ColumnName(column) + row.ToString(CultureInfo.InvariantCulture);

    /// <summary>The letters of a 1-based column number: 1 → A, 27 → AA.</summary>
    public static string ColumnName(int column)
    {
        var name = "";
        for (; column > 0; column = (column - 1) / 26)
        {
            name = (char)('A' + ((column - 1) % 26)) + name;
        }

        return name;
    }

    /// <summary>A sheet name quoted for use in a formula: <c>'Cash flow'!</c>.</summary>
    public static string SheetPrefix(string sheet) => $"'{sheet.Replace("'", "''", StringComparison.Ordinal)}'!";

    /// <summary>Adds the sheet to the workbook, its first <paramref name="frozenRows"/> rows and <paramref name="frozenColumns"/> columns frozen.</summary>
    public void AddTo(WorkbookPart workbook, string name, int frozenRows = 0, int frozenColumns = 0)
    {
        var worksheet = new Worksheet();
        if (frozenRows > 0 || frozenColumns > 0)
        {
            var topLeft = Reference(frozenColumns + 1, frozenRows + 1);
            var pane = new Pane
            {
                TopLeftCell = topLeft,
                State = PaneStateValues.Frozen,
                ActivePane = frozenRows > 0 && frozenColumns > 0 ? PaneValues.BottomRight : frozenRows > 0 ? PaneValues.BottomLeft : PaneValues.TopRight,
            };
            if (frozenColumns > 0)
            {
                pane.HorizontalSplit = frozenColumns;
            }

            if (frozenRows > 0)
            {
                pane.VerticalSplit = frozenRows;
            }

            worksheet.Append(new SheetViews(new SheetView(pane, new Selection { Pane = pane.ActivePane, ActiveCell = topLeft, SequenceOfReferences = new ListValue<StringValue> { InnerText = topLeft } }) { WorkbookViewId = 0 }));
        }

        if (_widths.Count > 0)
        {
            var columns = new Columns();
            for (var i = 0; i < _widths.Count; i++)
            {
                if (_widths[i] > 0)
                {
                    columns.Append(new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = _widths[i], CustomWidth = true });
                }
            }

            worksheet.Append(columns);
        }

        worksheet.Append(new SheetData(_rows));
        var part = workbook.AddNewPart<WorksheetPart>();
        part.Worksheet = worksheet;
        var sheets = workbook.Workbook.Sheets!;
        sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = (uint)sheets.ChildElements.Count + 1, Name = name });
    }

    /// <summary>A new workbook with the styles of <see cref="Style"/>, set to recalculate every formula when opened.</summary>
    public static WorkbookPart Workbook(SpreadsheetDocument document)
    {
        var workbook = document.AddWorkbookPart();
        workbook.Workbook = new Workbook(new Sheets());
        workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = Stylesheet();
        return workbook;
    }

    /// <summary>Names a cell for formulas, e.g. <c>DiscountRate</c> for <c>Inputs!$B$4</c>; call before <see cref="Finish"/>.</summary>
    public static void DefineName(WorkbookPart workbook, string name, string sheet, int column, int row)
    {
        var names = workbook.Workbook.DefinedNames ??= new DefinedNames();
        names.Append(new DefinedName($"{SheetPrefix(sheet)}{Reference(column, row, absolute: true)}") { Name = name });
    }

    /// <summary>Puts the workbook's parts in the order the schema wants and asks for a full recalculation on load.</summary>
    public static void Finish(WorkbookPart workbook)
    {
        var book = workbook.Workbook;
        if (book.DefinedNames is { } names)
        {
            names.Remove();
            book.InsertAfter(names, book.Sheets);
        }

        book.Append(new CalculationProperties { CalculationId = 191029, FullCalculationOnLoad = true });
        book.Save();
    }

    private SheetBuilder Add(int column, Cell cell, Style style)
    {
        if (_row is null)
        {
            throw new InvalidOperationException("Start a row with NewRow() first.");
        }

        cell.CellReference = Reference(column, (int)_row.RowIndex!.Value);
        if (style != Style.Plain)
        {
            cell.StyleIndex = (uint)style;
        }

        _row.Append(cell);
        return this;
    }

    private static Stylesheet Stylesheet()
    {
        static Font Font(bool bold = false, bool italic = false, double size = 11, string? colour = null)
        {
            var font = new Font();
            if (bold)
            {
                font.Append(new Bold());
            }

            if (italic)
            {
                font.Append(new Italic());
            }

            font.Append(new FontSize { Val = size });
            if (colour is not null)
            {
                font.Append(new Color { Rgb = colour });
            }

            font.Append(new FontName { Val = "Calibri" });
            return font;
        }

        static CellFormat Format(uint numberFormat, uint font = 0, uint fill = 0) => new()
        {
            NumberFormatId = numberFormat,
            FontId = font,
            FillId = fill,
            BorderId = 0,
            ApplyNumberFormat = numberFormat != 0,
            ApplyFont = font != 0,
            ApplyFill = fill != 0,
        };

        const uint FactorFormat = 164;
        return new Stylesheet(
            new NumberingFormats(new NumberingFormat { NumberFormatId = FactorFormat, FormatCode = "0.000000" }) { Count = 1 },
            new Fonts(Font(), Font(bold: true), Font(bold: true, size: 14), Font(italic: true, colour: "FF595959")) { Count = 4 },
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFDDEBF7" }) { PatternType = PatternValues.Solid })) { Count = 3 },
            new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
            new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
            new CellFormats(
                Format(0),                 // Plain
                Format(0, font: 1),        // Bold
                Format(0, font: 2),        // Title
                Format(0, font: 1, fill: 2), // Heading
                Format(0, font: 3),        // Note
                Format(3),                 // Amount #,##0
                Format(3, font: 1),        // AmountBold
                Format(4),                 // Decimal #,##0.00
                Format(10),                // Percent 0.00%
                Format(2),                 // Years 0.00
                Format(FactorFormat),      // Factor
                Format(1),                 // Integer 0
                Format(1, font: 1)) { Count = 13 },
            new CellStyles(new DocumentFormat.OpenXml.Spreadsheet.CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
    }
}
