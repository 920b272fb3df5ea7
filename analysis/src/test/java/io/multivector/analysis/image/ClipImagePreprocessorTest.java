package io.multivector.analysis.image;

import org.junit.Test;

import java.awt.image.BufferedImage;
import java.util.Arrays;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

public class ClipImagePreprocessorTest {

    private final ClipImagePreprocessor pre = new ClipImagePreprocessor(224);

    @Test
    public void uniformImageGivesClipNormalizedConstants() {
        float[] px = pre.pixels(TestImages.encode(TestImages.uniform(300, 200, 200, 100, 50), "png"));
        assertEquals(3 * 224 * 224, px.length);
        int[] rgb = {200, 100, 50};
        for (int c = 0; c < 3; c++) {
            float expected = TestImages.normalized(rgb[c], c);
            for (int i = c * 224 * 224; i < (c + 1) * 224 * 224; i++) {
                assertEquals(expected, px[i], 1e-6);
            }
        }
    }

    /** 448 x 224 needs no resize; the center crop keeps columns 112..335: red up to 223, blue from 224. */
    @Test
    public void centerCropKeepsTheMiddle() {
        BufferedImage img = new BufferedImage(448, 224, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 224; y++) for (int x = 0; x < 448; x++) img.setRGB(x, y, x < 224 ? 0xFF0000 : 0x0000FF);
        float[] px = pre.pixels(TestImages.encode(img, "png"));
        assertEquals(TestImages.normalized(255, 0), px[0], 1e-6);               // R at (0, 0)
        assertEquals(TestImages.normalized(0, 2), px[2 * 224 * 224], 1e-6);     // B at (0, 0)
        assertEquals(TestImages.normalized(255, 2), px[2 * 224 * 224 + 112], 1e-6); // B at (0, 112): source column 224
        assertEquals(TestImages.normalized(0, 0), px[223], 1e-6);
    }

    /**
     * A 256 x 256 ramp (R = x, G = y, B = 255 - x) shrunk to 224: the bicubic kernel is symmetric and its weights sum
     * to 1, so away from the borders it reproduces a linear ramp exactly, at the output pixel's center in source
     * coordinates, (i + 0.5) * 256 / 224 - 0.5 = (16 i + 1) / 14, rounded to 8 bits. Where that is a tie (i % 7 == 3)
     * floating-point sums may round either way, so those rows and columns are left out.
     */
    @Test
    public void gradientResizesToTheRampAtPixelCenters() {
        BufferedImage img = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 256; y++) for (int x = 0; x < 256; x++) img.setRGB(x, y, (x << 16) | (y << 8) | (255 - x));
        float[] px = pre.pixels(TestImages.encode(img, "png"));
        int plane = 224 * 224;
        for (int y = 4; y < 220; y++) {
            for (int x = 4; x < 220; x++) {
                if (x % 7 == 3 || y % 7 == 3) {
                    continue;
                }
                long rampX = Math.round((x + 0.5) * 256 / 224 - 0.5);
                long rampY = Math.round((y + 0.5) * 256 / 224 - 0.5);
                assertEquals(TestImages.normalized((int) rampX, 0), px[y * 224 + x], 1e-6);
                assertEquals(TestImages.normalized((int) rampY, 1), px[plane + y * 224 + x], 1e-6);
                assertEquals(TestImages.normalized(255 - (int) rampX, 2), px[2 * plane + y * 224 + x], 1e-6);
            }
        }
    }

    @Test
    public void bicubicKernelInterpolatesAndKeepsConstants() {
        assertEquals(1.0, BicubicResizer.kernel(0), 0);
        assertEquals(0.0, BicubicResizer.kernel(1), 0);
        assertEquals(0.0, BicubicResizer.kernel(2), 0);
        assertEquals(-0.0625, BicubicResizer.kernel(1.5), 1e-12);
        float[] plane = new float[37 * 23];
        Arrays.fill(plane, 77f);
        for (float v : BicubicResizer.resize(plane, 37, 23, 224, 139)) assertEquals(77f, v, 0);
        for (float v : BicubicResizer.resize(plane, 37, 23, 5, 3)) assertEquals(77f, v, 0);
    }

    @Test
    public void downscalingAveragesInsteadOfSampling() {
        // a one-pixel checkerboard shrunk 8x becomes flat mid-gray with the antialiased kernel
        float[] board = new float[64 * 64];
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) board[y * 64 + x] = ((x + y) % 2) * 255f;
        float[] small = BicubicResizer.resize(board, 64, 64, 8, 8);
        for (int i = 0; i < small.length; i++) {
            if (i / 8 > 0 && i / 8 < 7 && i % 8 > 0 && i % 8 < 7) assertEquals(127.5, small[i], 1.0);
        }
    }

    @Test
    public void grayscaleAndJpegDecode() {
        BufferedImage gray = new BufferedImage(250, 250, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 250; y++) for (int x = 0; x < 250; x++) gray.getRaster().setSample(x, y, 0, 90);
        float[] px = pre.pixels(TestImages.encode(gray, "png"));
        for (int c = 0; c < 3; c++) assertEquals(TestImages.normalized(90, c), px[c * 224 * 224 + 5000], 1e-6);
        float[] jpg = pre.pixels(TestImages.encode(TestImages.uniform(256, 256, 30, 160, 220), "jpg"));
        assertEquals(TestImages.normalized(30, 0), jpg[100], 3 / 255f / ClipImagePreprocessor.STD[0]);
    }

    @Test
    public void badBytesAreRejectedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pre.pixels("not an image".getBytes()));
        assertTrue(e.getMessage(), e.getMessage().contains("not a supported format"));
        byte[] png = TestImages.encode(TestImages.noise(64, 64, 1), "png");
        e = assertThrows(IllegalArgumentException.class, () -> pre.pixels(Arrays.copyOf(png, png.length / 2)));
        assertTrue(e.getMessage(), e.getMessage().startsWith("cannot decode image"));
        e = assertThrows(IllegalArgumentException.class, () -> pre.pixels(new byte[0]));
        assertTrue(e.getMessage(), e.getMessage().contains("empty"));
    }
}
