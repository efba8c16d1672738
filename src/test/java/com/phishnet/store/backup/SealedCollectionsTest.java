package com.phishnet.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

import com.phishnet.store.platform.crypto.Sealed;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.util.ClassUtils;

/**
 * A backup lists the key ids a restore needs by looking into the collections that hold sealed values. A new stored
 * record with a {@link Sealed} field, at any depth, must add its collection to {@link SnapshotExporter#SEALED}.
 */
class SealedCollectionsTest {

    @Test
    void everyCollectionWhoseRecordsHoldSealedValuesIsSearchedForKeyIds() throws Exception {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(Document.class));
        Set<String> holdingSealed = new TreeSet<>();
        for (var candidate : scanner.findCandidateComponents("com.phishnet.store")) {
            Class<?> type = ClassUtils.forName(candidate.getBeanClassName(), getClass().getClassLoader());
            if (holdsSealed(type, new HashSet<>())) {
                holdingSealed.add(type.getAnnotation(Document.class).value());
            }
        }

        assertThat(holdingSealed).as("found by scanning").isNotEmpty();
        assertThat(SnapshotExporter.SEALED).containsExactlyInAnyOrderElementsOf(holdingSealed);
    }

    private static boolean holdsSealed(Class<?> type, Set<Class<?>> seen) {
        if (type == Sealed.class) {
            return true;
        }
        if (!type.isRecord() || !seen.add(type)) {
            return false;
        }
        for (RecordComponent component : type.getRecordComponents()) {
            if (holdsSealed(component.getType(), seen) || argumentsHoldSealed(component.getGenericType(), seen)) {
                return true;
            }
        }
        return false;
    }

    private static boolean argumentsHoldSealed(Type generic, Set<Class<?>> seen) {
        if (generic instanceof ParameterizedType parameterized) {
            for (Type argument : parameterized.getActualTypeArguments()) {
                if (argument instanceof Class<?> element && holdsSealed(element, seen)
                        || argumentsHoldSealed(argument, seen)) {
                    return true;
                }
            }
        }
        return false;
    }
}
