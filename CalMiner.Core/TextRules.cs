namespace CalMiner;

/// <summary>
/// The rule every text CalMiner stores or searches for follows, whatever its field: no NUL character
/// (U+0000). PostgreSQL cannot hold one in text, and no one types one on purpose.
/// </summary>
public static class TextRules
{
    /// <summary>What is wrong with <paramref name="text"/>, worded to follow the field's name; <see langword="null"/> when nothing is.</summary>
    /// <param name="text">Any text a user sent: a name, a description, an email, a search.</param>
    /// <returns>E.g. <c>must not contain the NUL character (U+0000)</c>, or <see langword="null"/>.</returns>
    public static string? Problem(ReadOnlySpan<char> text) =>
        text.Contains('\0') ? "must not contain the NUL character (U+0000)" : null;
}
