namespace Gatehouse.Balancer.Configuration;

/// <summary>
/// An `errorfile CODE FILE` response, read at load: the file's status line, headers and body, sent in place
/// of the built-in page for errors the balancer generates with <see cref="Code"/>.
/// </summary>
internal sealed record ErrorFile(
    int Code, int Status, string ReasonPhrase, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, string Path);
