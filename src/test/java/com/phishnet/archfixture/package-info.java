/**
 * Deliberate violations of every house rule, for {@code ArchitectureRulesTest} to prove each rule catches one.
 * Outside {@code com.phishnet.store}, so neither the application nor {@code ArchitectureTest} ever sees them.
 */
package com.phishnet.archfixture;
