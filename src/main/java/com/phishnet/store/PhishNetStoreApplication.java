package com.phishnet.store;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class PhishNetStoreApplication {

    public static void main(String[] args) {
        SpringApplication.run(PhishNetStoreApplication.class, args);
    }
}
