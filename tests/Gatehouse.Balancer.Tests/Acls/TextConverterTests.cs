using Gatehouse.Balancer.Acls;

namespace Gatehouse.Balancer.Tests.Acls;

public sealed class TextConverterTests
{
    // Header {"alg":"RS256","kid":"k1","typ":"JWT"}, payload {"iss":"https://id.example","sub":"alice",
    // "groups":["staff","admin"],"n":42,"ok":true}.
    private const string Token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiSldUIn0."
        + "eyJpc3MiOiJodHRwczovL2lkLmV4YW1wbGUiLCJzdWIiOiJhbGljZSIsImdyb3VwcyI6WyJzdGFmZiIsImFkbWluIl0sIm4iOjQyLCJvayI6dHJ1ZX0.c2ln";

    [Theory]
    [InlineData("$.groups[1]", "str", "admin")]
    [InlineData("$.ok", "bool", "1")]
    [InlineData("$.n", "int", "42")]
    [InlineData("$.sub", "int", null)]
    [InlineData("$.groups[5]", "str", null)]
    public void JwtPayloadQuery_Path_ReturnsValue(string path, string type, string? expected)
    {
        var problems = new List<string>();
        var converter = JwtQueryConverter.Parse("jwt_payload_query", $"{path},{type}", problems);

        Assert.Empty(problems);
        Assert.Equal(expected, converter!.Convert(Token));
    }

    [Fact]
    public void JwtHeaderQuery_NoPath_ReturnsWholeJson()
    {
        var converter = JwtQueryConverter.Parse("jwt_header_query", null, []);

        Assert.Equal("{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"JWT\"}", converter!.Convert(Token));
    }

    [Theory]
    [InlineData("field", "0,_", "'field' expects (INDEX,DELIMITERS[,COUNT])")]
    [InlineData("field", "x,_", "'field' expects (INDEX,DELIMITERS[,COUNT])")]
    [InlineData("word", "1", "'word' expects (INDEX,DELIMITERS[,COUNT])")]
    [InlineData("word", "1,_,-1", "'word' expects (INDEX,DELIMITERS[,COUNT])")]
    public void FieldConverter_BadArguments_ExplainsForm(string name, string arguments, string expected)
    {
        var problems = new List<string>();

        Assert.Null(FieldConverter.Parse(name, arguments, problems));
        Assert.StartsWith(expected, Assert.Single(problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iss")]
    [InlineData("$.")]
    [InlineData("$.a[x]")]
    [InlineData("$.a[1]b")]
    public void JwtQuery_BadPath_Rejected(string path)
    {
        var problems = new List<string>();

        Assert.Null(JwtQueryConverter.Parse("jwt_payload_query", path, problems));
        Assert.Contains("expects a JSON path", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void SampleExpression_UnknownConverter_ListsFieldAndJwt()
    {
        var problems = new List<string>();

        Assert.Null(SampleExpression.Parse("path,feild(1,/)", problems));
        Assert.Contains("field", Assert.Single(problems), StringComparison.Ordinal);
        Assert.Contains("jwt_payload_query", problems[0], StringComparison.Ordinal);
    }
}
