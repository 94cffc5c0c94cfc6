package io.shmstore.jmh;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * The value the codec benchmarks store: a market tick of about 100 bytes. A mutable bean, so the
 * JSON and Smile codecs can update it in place, and a {@link BytesMarshallable}, so the marshallable
 * codec can. Text fields are {@code StringBuilder}s, refilled on read, so a {@code getUsing} through
 * the marshallable codec allocates nothing.
 */
public final class Tick implements BytesMarshallable {
    private final StringBuilder symbol = new StringBuilder();
    private double bid;
    private double ask;
    private long bidSize;
    private long askSize;
    private long timestamp;
    private final StringBuilder venue = new StringBuilder();

    public Tick() {
    }

    public Tick(int i) {
        symbol.append("SYM-").append(i);
        bid = 100 + i * 0.01;
        ask = bid + 0.02;
        bidSize = 1_000 + i;
        askSize = 2_000 + i;
        timestamp = 1_700_000_000_000L + i;
        venue.append("XLON");
    }

    @Override
    public void writeMarshallable(BytesOut<?> out) {
        out.writeUtf8(symbol);
        out.writeDouble(bid);
        out.writeDouble(ask);
        out.writeLong(bidSize);
        out.writeLong(askSize);
        out.writeLong(timestamp);
        out.writeUtf8(venue);
    }

    @Override
    public void readMarshallable(BytesIn<?> in) {
        in.readUtf8(symbol);
        bid = in.readDouble();
        ask = in.readDouble();
        bidSize = in.readLong();
        askSize = in.readLong();
        timestamp = in.readLong();
        in.readUtf8(venue);
    }

    public String getSymbol() {
        return symbol.toString();
    }

    public void setSymbol(String value) {
        symbol.setLength(0);
        symbol.append(value);
    }

    public double getBid() {
        return bid;
    }

    public void setBid(double bid) {
        this.bid = bid;
    }

    public double getAsk() {
        return ask;
    }

    public void setAsk(double ask) {
        this.ask = ask;
    }

    public long getBidSize() {
        return bidSize;
    }

    public void setBidSize(long bidSize) {
        this.bidSize = bidSize;
    }

    public long getAskSize() {
        return askSize;
    }

    public void setAskSize(long askSize) {
        this.askSize = askSize;
    }

    public long getTimestamp() {
        return timestamp;
    }

    public void setTimestamp(long timestamp) {
        this.timestamp = timestamp;
    }

    public String getVenue() {
        return venue.toString();
    }

    public void setVenue(String value) {
        venue.setLength(0);
        venue.append(value);
    }
}
