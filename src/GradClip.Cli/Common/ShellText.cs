namespace GradClip.Cli.Common;

/// <summary>Text to paste into a POSIX shell: words that the shell takes literally, whatever characters they hold.</summary>
public static class ShellText
{
    /// <summary>
    /// <paramref name="word"/> as is when it holds only characters no shell treats specially, otherwise in single quotes
    /// (inside which nothing is special), each single quote in it written as <c>'\''</c>.
    /// </summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return word.Length > 0 && word.All(IsPlain) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or ',' or ':' or '@' or '%' or '=';
}
