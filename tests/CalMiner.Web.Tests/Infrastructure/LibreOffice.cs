using System.Diagnostics;
using System.Text;
using CalMiner.Tests;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CalMiner.Web.Tests.Infrastructure;

/// <summary>
/// A real spreadsheet engine for the workbook exports: LibreOffice Calc, headless (Debian package
/// <c>libreoffice-calc-nogui</c>). It opens a workbook, recalculates every formula and writes each sheet
/// as CSV; the tests read the values it computed. Each call has its own throwaway user profile, set to
/// recalculate Excel files on load, so runs in parallel do not share state.
/// </summary>
internal static class LibreOffice
{
    public const string Package = "libreoffice-calc-nogui";

    /// <summary>
    /// The workbook with the cached value of every formula removed, so that whatever reads it must calculate:
    /// a spreadsheet that showed the cached figures instead of recalculating would show empty cells.
    /// </summary>
    public static byte[] WithoutCachedValues(byte[] xlsx)
    {
        using var stream = new MemoryStream();
        stream.Write(xlsx);
        using (var document = SpreadsheetDocument.Open(stream, isEditable: true))
        {
            foreach (var part in document.WorkbookPart!.WorksheetParts)
            {
                foreach (var cell in part.Worksheet.Descendants<Cell>().Where(c => c.CellFormula is not null))
                {
                    cell.CellValue?.Remove();
                    cell.DataType = null;
                }

                part.Worksheet.Save();
            }
        }

        return stream.ToArray();
    }

    /// <summary>Opens the workbook in LibreOffice Calc, which recalculates it, and returns every sheet's cells as text (raw values, not as formatted), by sheet name.</summary>
    public static async Task<IReadOnlyDictionary<string, string[][]>> RecalculateAsync(byte[] xlsx, IEnumerable<string> sheetNames)
    {
        var soffice = Soffice();
        var folder = Directory.CreateTempSubdirectory("calminer-calc-");
        try
        {
            var profile = Path.Combine(folder.FullName, "profile");
            Directory.CreateDirectory(Path.Combine(profile, "user"));
            // 0 = always recalculate Excel 2007+ files on load (the default asks, or trusts the cached values).
            await File.WriteAllTextAsync(Path.Combine(profile, "user", "registrymodifications.xcu"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                <item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
                </oor:items>
                """);
            var input = Path.Combine(folder.FullName, "book.xlsx");
            await File.WriteAllBytesAsync(input, xlsx);
            var output = Path.Combine(folder.FullName, "out");

            // CSV filter: comma, double quote, UTF-8, from line 1, en-US, raw values (not as shown), every sheet (-1) to its own file.
            var start = new ProcessStartInfo(soffice)
            {
                ArgumentList =
                {
                    $"-env:UserInstallation={new Uri(profile).AbsoluteUri}", "--headless", "--norestore", "--nolockcheck",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1",
                    "--outdir", output, input,
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("LibreOffice did not convert the workbook within 3 minutes.");
            }

            var sheets = new Dictionary<string, string[][]>(StringComparer.Ordinal);
            foreach (var sheet in sheetNames)
            {
                var file = Path.Combine(output, $"book-{sheet}.csv");
                Assert.True(File.Exists(file), $"LibreOffice wrote no {file} (exit {process.ExitCode}): {await stdout} {await stderr}");
                // LibreOffice ends its rows with LF, CalMiner's CSV with CRLF, which the shared reader insists on.
                var text = (await File.ReadAllTextAsync(file, Encoding.UTF8)).ReplaceLineEndings("\r\n");
                sheets[sheet] = [.. Rfc4180.Parse(text.Length == 0 || text.EndsWith("\r\n", StringComparison.Ordinal) ? text : text + "\r\n")];
            }

            return sheets;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A number as the CSV export writes it: raw digits (15 significant), with a trailing <c>%</c> for a cell formatted as a percentage.</summary>
    public static double Number(string text)
    {
        var percent = text.EndsWith('%');
        return double.TryParse(percent ? text[..^1] : text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? (percent ? value / 100 : value)
            : throw new Xunit.Sdk.XunitException($"The spreadsheet gives \"{text}\", not a number.");
    }

    private static string Soffice()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/lib/libreoffice/program"))
        {
            var candidate = Path.Combine(folder, "soffice");
            if (folder.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"The workbook tests recalculate the exports with LibreOffice, and soffice is not installed: `apt-get install --no-install-recommends {Package}` (scripts/test.sh does it).");
    }
}
