namespace MatrixTester.Diagnostics.Tls;

/// <summary>
/// Passes everything through and keeps the first bytes the server sent. A failed handshake's exception says little
/// ("wrong version number"); the server's first bytes say exactly what happened (plain HTTP, an alert, an old
/// ServerHello).
/// </summary>
internal sealed class RecordingStream(Stream inner, int capacity = 64) : Stream
{
    private readonly byte[] buffer = new byte[capacity];
    private int recorded;

    public ReadOnlySpan<byte> FirstBytesReceived => buffer.AsSpan(0, Volatile.Read(ref recorded));

    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> destination)
    {
        var read = inner.Read(destination);
        Record(destination[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(destination, cancellationToken);
        Record(destination.Span[..read]);
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> source) => inner.Write(source);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(source, cancellationToken);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    // Disposing must reach the socket: a connection is abandoned (and a pending read ended) by disposing its stream.
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Record(ReadOnlySpan<byte> data)
    {
        var take = Math.Min(data.Length, buffer.Length - recorded);
        if (take > 0)
        {
            data[..take].CopyTo(buffer.AsSpan(recorded));
            Volatile.Write(ref recorded, recorded + take);
        }
    }
}
