package io.mailbridge.sandbox.crm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProspectListsTest {
    private final ProspectLists lists = new ProspectLists();

    @Test
    void keepsAddressesTrimmedLowerCasedSortedAndOnce() {
        lists.replace("a", List.of(" Bea@Fabrikam.test", "cal@contoso.test", "bea@fabrikam.TEST"));

        assertEquals(List.of("bea@fabrikam.test", "cal@contoso.test"), List.copyOf(lists.of("a")));
    }

    @Test
    void addsRemovesAndReplacesPerAccount() {
        lists.add("a", List.of("x@t.test"));
        lists.add("a", List.of("y@t.test"));
        lists.add("b", List.of("z@t.test"));
        lists.remove("a", List.of("X@t.test"));

        assertEquals(Set.of("y@t.test"), lists.of("a"));
        assertEquals(Map.of("a", 1, "b", 1), lists.counts());

        lists.replace("b", List.of());
        assertEquals(Set.of(), lists.of("b"));
        assertEquals(Set.of(), lists.of("unknown"));
    }

    @Test
    void refusesSomethingThatIsNotAnAddressAndKeepsTheOldList() {
        lists.replace("a", List.of("x@t.test"));

        for (String bad : List.of("no-at-sign", "@t.test", "x@", "a@b@c", "a b@c.test")) {
            assertThrows(IllegalArgumentException.class, () -> lists.replace("a", List.of("ok@t.test", bad)), bad);
        }
        assertEquals(Set.of("x@t.test"), lists.of("a"));
    }
}
