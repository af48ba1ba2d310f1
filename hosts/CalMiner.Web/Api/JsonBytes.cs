namespace CalMiner.Web.Api;

/// <summary>A response of JSON already serialised (e.g. cached bytes), with any status code.</summary>
internal sealed class JsonBytes(byte[] body, int statusCode = StatusCodes.Status200OK) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public int? StatusCode => statusCode;

    public string ContentType => "application/json; charset=utf-8";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = ContentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }
}
