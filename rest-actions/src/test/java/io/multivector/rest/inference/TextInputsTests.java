package io.multivector.rest.inference;

import org.opensearch.test.OpenSearchTestCase;

public class TextInputsTests extends OpenSearchTestCase {

    public void testNothingToEncode() {
        for (String text : new String[] { null, "", "   ", "\t\n", "\u0001\u0002", "\u200b", "...!!!", "«»—", "\u00a0" }) {
            assertFalse(String.valueOf(text), TextInputs.hasContent(text));
        }
    }

    public void testLettersDigitsAndSymbolsAreContent() {
        for (String text : new String[] { "a", " 42 ", "猫", "🐱", "$", "a cat!", "^" }) {
            assertTrue(text, TextInputs.hasContent(text));
        }
    }

    public void testDataUrlPrefixAndLineBreaksAreDropped() {
        assertEquals("iVBORw0K", TextInputs.stripDataUrl("data:image/png;base64,iVBORw0K"));
        assertEquals("iVBORw0K", TextInputs.stripDataUrl("DATA:image/png;BASE64,iVBO\r\nRw0K"));
        assertEquals("iVBORw0K", TextInputs.stripDataUrl("iVBORw0K"));
        expectThrows(IllegalArgumentException.class, () -> TextInputs.stripDataUrl("data:image/png,raw"));
    }
}
