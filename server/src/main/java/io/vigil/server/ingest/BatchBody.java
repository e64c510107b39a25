package io.vigil.server.ingest;

import io.micronaut.core.annotation.Nullable;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The request body as the JSON parser reads it: decompressed when {@code Content-Encoding: gzip},
 * and cut off with {@link BatchRejectedException.TooLarge} as soon as more than
 * {@code maxBytes} decompressed bytes have been read.
 *
 * <p>The server decompresses itself (Netty's automatic request decompression is switched off in
 * application.yml) because only here can the limit apply to the decompressed size while
 * decompressing: a gzip bomb of a few kilobytes stops after {@code maxBytes + 1} bytes of output
 * instead of filling the heap.
 */
final class BatchBody {

    private BatchBody() {
    }

    static InputStream open(@Nullable String contentEncoding, InputStream raw, long maxBytes) throws IOException {
        String encoding = contentEncoding == null ? "identity" : contentEncoding.strip().toLowerCase(Locale.ROOT);
        InputStream decoded = switch (encoding) {
            case "", "identity" -> raw;
            case "gzip", "x-gzip" -> gunzip(raw);
            default -> throw new BatchRejectedException.UnsupportedEncoding(contentEncoding);
        };
        return new Limited(decoded, maxBytes);
    }

    private static InputStream gunzip(InputStream raw) throws IOException {
        try {
            return new GZIPInputStream(raw, 16 * 1024); // reads the gzip header now
        } catch (ZipException | EOFException e) {
            throw new BatchRejectedException.Malformed("the body is not valid gzip (Content-Encoding: gzip): "
                    + (e.getMessage() == null ? "it ends before the gzip header" : e.getMessage()), null, null);
        }
    }

    /** Counts bytes read and fails on the first byte past the limit. */
    private static final class Limited extends FilterInputStream {
        private final long max;
        private long count;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            // never read more than one byte past the limit, so a bomb cannot inflate much further
            int n = super.read(buffer, offset, (int) Math.min(length, Math.max(1, max + 1 - count)));
            if (n > 0) {
                add(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, Math.max(1, max + 1 - count)));
            add(skipped);
            return skipped;
        }

        private void add(long n) {
            count += n;
            if (count > max) {
                throw new BatchRejectedException.TooLarge("the batch is larger than " + max
                        + " bytes (vigil.ingest.max-batch-bytes, measured after decompression): "
                        + "split it into smaller batches");
            }
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
