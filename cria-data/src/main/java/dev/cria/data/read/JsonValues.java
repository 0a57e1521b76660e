package dev.cria.data.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON trees to the plain Java values {@link dev.cria.data.Document#meta()} holds (String, Number, Boolean, List, Map). */
public final class JsonValues {
    private JsonValues() {
    }

    public static Object toJava(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> node.textValue();
            case NUMBER -> node.isIntegralNumber() ? (Object) (node.canConvertToLong() ? node.longValue() : node.bigIntegerValue())
                    : (Object) node.doubleValue();
            case BOOLEAN -> node.booleanValue();
            case NULL, MISSING -> null;
            case ARRAY -> {
                List<Object> list = new ArrayList<>(node.size());
                for (JsonNode n : node) {
                    list.add(toJava(n));
                }
                yield list;
            }
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    map.put(e.getKey(), toJava(e.getValue()));
                }
                yield map;
            }
            default -> node.toString();
        };
    }
}
