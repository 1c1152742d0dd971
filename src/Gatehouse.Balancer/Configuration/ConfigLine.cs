namespace Gatehouse.Balancer.Configuration;

/// <summary>One word of a configuration line after quote removal and variable expansion.</summary>
/// <param name="Text">The word's text.</param>
/// <param name="Quoted">True when any part of the word was quoted, so it is never read as a keyword like "if".</param>
internal readonly record struct ConfigWord(string Text, bool Quoted)
{
    public override string ToString() => Text;
}

/// <summary>The words of one non-empty configuration line.</summary>
internal sealed class ConfigLine
{
    public ConfigLine(ConfigLocation location, IReadOnlyList<ConfigWord> words)
    {
        Location = location;
        Words = words;
    }

    public ConfigLocation Location { get; }

    public IReadOnlyList<ConfigWord> Words { get; }

    public string Keyword => Words[0].Text;

    public int Count => Words.Count;

    public string this[int index] => Words[index].Text;
}
