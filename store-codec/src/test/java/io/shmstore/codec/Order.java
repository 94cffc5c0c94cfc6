package io.shmstore.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A mutable bean, which a codec can update in place. */
public final class Order {
    private long id;
    private String customer;
    private List<Line> lines = new ArrayList<>();

    public Order() {
    }

    public Order(long id, String customer, List<Line> lines) {
        this.id = id;
        this.customer = customer;
        this.lines = lines;
    }

    public long getId() {
        return id;
    }

    public void setId(long id) {
        this.id = id;
    }

    public String getCustomer() {
        return customer;
    }

    public void setCustomer(String customer) {
        this.customer = customer;
    }

    public List<Line> getLines() {
        return lines;
    }

    public void setLines(List<Line> lines) {
        this.lines = lines;
    }

    /** One line of an order. */
    public record Line(String sku, int quantity) {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Order other && id == other.id && Objects.equals(customer, other.customer)
                && Objects.equals(lines, other.lines);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, customer, lines);
    }

    @Override
    public String toString() {
        return "Order[" + id + ", " + customer + ", " + lines + "]";
    }
}
