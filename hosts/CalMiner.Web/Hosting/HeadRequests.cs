using Microsoft.AspNetCore.Http.Features;

namespace CalMiner.Web.Hosting;

/// <summary>
/// HEAD is answered as GET without the body (RFC 9110 §9.3.2), on every GET route: the request is routed
/// and handled as a GET, what the handler writes is counted and dropped, and the headers go out with the
/// Content-Length the body would have had (unless the handler sent them earlier, e.g. for a large file).
/// </summary>
internal static class HeadRequests
{
    /// <summary>Must come before routing, so that HEAD finds the GET endpoints.</summary>
    public static IApplicationBuilder UseHeadAsGet(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            context.Request.Method = HttpMethods.Get;
            var server = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
            await using var counter = new CountingStream();
            context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(counter, server));
            try
            {
                await next(context).ConfigureAwait(false);
                if (!context.Response.HasStarted && context.Response.ContentLength is null)
                {
                    context.Response.ContentLength = counter.Length;
                }
            }
            finally
            {
                context.Features.Set(server);
            }
        });

    /// <summary>A write-only stream that keeps nothing but the number of bytes written to it.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _length += count;
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
