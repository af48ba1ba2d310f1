using System.Text;

namespace CalMiner.Web.Api;

/// <summary>Download file names made from user text (scenario names): letters, digits, '-', '_' and '.', nothing that could leave the folder.</summary>
internal static class FileNames
{
    public static string Safe(string text, string fallback)
    {
        var name = new StringBuilder(Math.Min(text.Length, 80));
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, 80)))
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        }

        var safe = name.ToString().Trim('-', '.');
        return safe.Length == 0 ? fallback : safe;
    }
}
