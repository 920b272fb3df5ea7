package io.multivector.analysis.image;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

/** Decodes JPEG/PNG (anything javax.imageio reads) into 8-bit RGB planes, refusing oversized images. */
public final class ImageDecoder {

    /**
     * Guards the heap against decompression bombs: a small file can declare a huge canvas (3 float planes = 12 bytes a
     * pixel). The plugin sets it from the dynamic node setting of this name.
     */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
    public static final String MAX_PIXELS_SETTING = "plugins.multivector.image.max_pixels";
    private static volatile long maxPixels = DEFAULT_MAX_PIXELS;

    public static void setMaxPixels(long limit) {
        maxPixels = limit;
    }

    private ImageDecoder() {}

    /** An image as three row-major 0..255 planes. */
    public record Rgb(int width, int height, float[] r, float[] g, float[] b) {}

    public static Rgb decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("image is empty");
        }
        BufferedImage img;
        // an in-memory stream: ImageIO.createImageInputStream may cache in a temporary file, which the node does not allow
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException("image bytes are not a supported format (JPEG or PNG expected)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                long limit = maxPixels;
                if (pixels > limit) {
                    throw new IllegalArgumentException("image has " + pixels + " pixels, more than the limit of " + limit + " ["
                        + MAX_PIXELS_SETTING + "]");
                }
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith("image ")) {
                throw iae;
            }
            // the decoder's own words ("Unexpected block type 97!") say little to a user: lead with what is wrong
            throw new IllegalArgumentException("cannot decode image: the bytes are a corrupt or truncated " + reader(bytes)
                + " (decoder: " + e.getMessage() + ")", e);
        }
        int w = img.getWidth();
        int h = img.getHeight();
        if (img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            return gray(img, w, h);
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w); // any color model to sRGB; alpha is dropped like PIL's convert("RGB")
        float[] r = new float[w * h];
        float[] g = new float[w * h];
        float[] b = new float[w * h];
        for (int i = 0; i < argb.length; i++) {
            r[i] = (argb[i] >> 16) & 0xFF;
            g[i] = (argb[i] >> 8) & 0xFF;
            b[i] = argb[i] & 0xFF;
        }
        return new Rgb(w, h, r, g, b);
    }

    /**
     * Gray images are read from the raster: getRGB would treat Java's linear gray color space as needing a
     * gamma curve and brighten them, whereas PIL (and so CLIP's training data) copies gray to R, G and B.
     */
    private static Rgb gray(BufferedImage img, int w, int h) {
        Raster raster = img.getRaster();
        int bits = img.getColorModel().getComponentSize(0);
        double scale = 255.0 / ((1L << bits) - 1);
        float[] v = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                v[y * w + x] = Math.round(raster.getSample(x, y, 0) * scale);
            }
        }
        return new Rgb(w, h, v, v.clone(), v.clone());
    }

    /** The format the bytes claim to be, from their signature, for error messages. */
    private static String reader(byte[] bytes) {
        if (bytes.length >= 4 && (bytes[0] & 0xFF) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
            return "PNG";
        }
        if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8) {
            return "JPEG";
        }
        return "image";
    }
}
